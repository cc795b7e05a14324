/**
 * Reads a local store's trace files: which traces it holds (from the file names alone, oldest
 * first) and the trace in one file. Read-only and stateless, so every user makes its own: the
 * store's `getTrace` and retention, local assessments, local search, and the CLI's list, show,
 * sync, delete and prune.
 */
import { join, resolve } from "node:path";
import { reportOnce } from "../../../internal/diagnostics";
import { Trace } from "../../../tracing/trace";
import { listDir } from "./atomic-file";
import { byStart, encodeTraceId, parseTraceFileName, type StoredFile } from "./location";
import { readTraceFile } from "./trace-file";

/** Called with an entry of `traces/` that is not a readable trace file, and why. */
export type OnSkip = (name: string, reason: string) => void;

/**
 * @example
 * const reader = new LocalStoreReader("./mlflow-haystack-traces");
 * const newest = await reader.lastTrace();
 */
export class LocalStoreReader {
  /** The store directory (absolute). */
  readonly dir: string;
  /** Its `traces/` folder. */
  readonly tracesDir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.tracesDir = join(this.dir, "traces");
  }

  /** Trace files, oldest first. */
  async files(): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    for (const name of await listDir(this.tracesDir)) {
      const parsed = parseTraceFileName(name);
      if (parsed !== undefined) out.push({ name, ...parsed });
    }
    return out.sort(byStart);
  }

  /** The file of a trace, or `undefined` when the store does not have it. */
  async findFile(traceId: string): Promise<StoredFile | undefined> {
    const encoded = encodeTraceId(traceId);
    return (await this.files()).find((f) => f.encodedId === encoded);
  }

  /** How many traces the store holds. */
  async count(): Promise<number> {
    return (await this.files()).length;
  }

  /** Reads one trace, or `undefined` when the store does not have it. */
  async getTrace(traceId: string): Promise<Trace | undefined> {
    const file = await this.findFile(traceId);
    return file === undefined ? undefined : this.readFile(file.name);
  }

  /** The newest trace (by start time), or `undefined` when the store is empty. */
  async lastTrace(): Promise<Trace | undefined> {
    const files = await this.files();
    for (let i = files.length - 1; i >= 0; i--) {
      const trace = await this.readFile((files[i] as StoredFile).name);
      if (trace !== undefined) return trace;
    }
    return undefined;
  }

  /**
   * Reads a trace file by name; `undefined` when it vanished or is unreadable. Entries that are
   * not regular files, or are too large to read, are skipped and passed to `onSkip` (else
   * reported once in diagnostics).
   */
  async readFile(name: string, onSkip?: OnSkip): Promise<Trace | undefined> {
    const path = join(this.tracesDir, name);
    const read = await readTraceFile(path);
    if (read === undefined) return undefined;
    if ("skipped" in read) {
      if (onSkip !== undefined) onSkip(name, read.skipped);
      else reportOnce("local-store.skipped", "warn", `skipped ${path} in the local trace store: ${read.skipped}`);
      return undefined;
    }
    try {
      return Trace.fromJSON(read.text);
    } catch (err) {
      reportOnce("local-store.unreadable", "warn", `skipped unreadable trace file ${path}`, err);
      return undefined;
    }
  }
}
