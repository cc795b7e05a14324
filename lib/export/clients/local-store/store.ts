/**
 * The local trace store: the default destination when no tracking URI is set, and the place
 * where traces a server could not take wait to be synced. One file per trace, in the JSON shape of
 * MLflow's `Trace.to_json()`, written atomically; no shared index, so several processes can write
 * at once. Layout (see README "Local store"):
 *
 *   <dir>/traces/<13-digit request ms>-<trace id>.json
 *   <dir>/destinations/<key>/{destination.json, pending/, sent/, inflight/, lock}
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { reportOnce } from "../../../internal/diagnostics";
import { isProcessExiting } from "../../../internal/exit-flush";
import { Trace } from "../../../tracing/trace";
import { TEMP_PREFIX, listDir, removeFile, syncDirectory, writeFileAtomic, writeFileAtomicSync } from "./atomic-file";
import { DestinationDir, knownDestinations, type SyncDestination } from "./destinations";
import { encodeTraceId, parseTraceFileName, resolveLocalStoreOptions, traceFileName, type LocalStoreOptions, type ResolvedLocalStoreOptions } from "./location";
import { byStart, planPrune, type StoredFile } from "./retention";
import { summarize, type TraceSummary } from "./summary";
import { readTraceFile } from "./trace-file";
import type { ExportFailure, ExportOptions, ExportResult, TraceClient } from "../trace-client";
import { encodeOrReport, traceIdOf } from "../trace-isolation";
import { forEachLimited } from "../../../internal/for-each-limited";
import { toError } from "../../../internal/to-error";

const toJsonText = (trace: Trace): string => JSON.stringify(trace);

const WRITE_CONCURRENCY = 8;
const STALE_TEMP_MS = 10 * 60 * 1000;
const RETRYABLE_FS = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY"]);

/**
 * Traces on disk. Implements {@link TraceClient} (so the batch processor can export to it) and
 * adds what the CLI needs: list, read, delete, prune, and undelivered-trace bookkeeping.
 *
 * @example
 * const store = new LocalStore({ dir: "./mlflow-haystack-traces", maxTraces: 500 });
 * const [newest] = await store.list({ limit: 1 });
 * const trace = newest && (await store.getTrace(newest.traceId));
 */
export class LocalStore implements TraceClient {
  readonly options: ResolvedLocalStoreOptions;
  private writesSincePrune = Number.POSITIVE_INFINITY;
  private pendingDroppedCount = 0;

  constructor(options: LocalStoreOptions = {}) {
    this.options = resolveLocalStoreOptions(options);
  }

  /** Traces waiting for `traces sync` that this store object removed to stay under `maxPendingTraces`. */
  get droppedPending(): number {
    return this.pendingDroppedCount;
  }

  /** The store directory (absolute). */
  get dir(): string {
    return this.options.dir;
  }

  private get tracesDir(): string {
    return join(this.options.dir, "traces");
  }

  /** Writes a batch; never throws, reports per-trace failures. Prunes now and then. */
  async export(traces: readonly Trace[], options?: Partial<ExportOptions>): Promise<ExportResult> {
    const failures: ExportFailure[] = [];
    await forEachLimited(traces, WRITE_CONCURRENCY, async (trace) => {
      if (options?.signal?.aborted) {
        failures.push({ traceId: traceIdOf(trace), error: new Error("export aborted before the trace was written"), retryable: true });
        return;
      }
      try {
        await this.write(trace);
      } catch (err) {
        const error = toError(err);
        failures.push({ traceId: traceIdOf(trace), error, retryable: RETRYABLE_FS.has((err as NodeJS.ErrnoException).code ?? "") });
      }
    });
    await syncDirectory(this.tracesDir);
    await this.pruneNowAndThen(traces.length);
    return { failures };
  }

  /** Applies retention after every few dozen writes (the first write of a process included). */
  private async pruneNowAndThen(written: number): Promise<void> {
    this.writesSincePrune += written;
    if (this.writesSincePrune < Math.min(50, Math.ceil(this.options.maxTraces / 10))) return;
    this.writesSincePrune = 0;
    await this.prune().catch((err: unknown) => reportOnce("local-store.prune", "warn", `could not prune the local trace store ${this.dir}`, err));
  }

  /** Reads one trace, or `undefined` when the store does not have it. */
  async getTrace(traceId: string): Promise<Trace | undefined> {
    const file = (await this.files()).find((f) => f.encodedId === encodeTraceId(traceId));
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

  /** Summaries, newest first. Unreadable files are skipped (and counted in diagnostics, or passed to `onSkip`). */
  async list(
    options: { readonly limit?: number; readonly offset?: number; readonly onSkip?: (name: string, reason: string) => void } = {},
  ): Promise<TraceSummary[]> {
    const files = (await this.files()).reverse();
    const offset = options.offset ?? 0;
    const slice = files.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
    const pending = await this.pendingIndex();
    const out: TraceSummary[] = [];
    for (const file of slice) {
      const trace = await this.readFile(file.name, options.onSkip);
      if (trace !== undefined) out.push(summarize(trace, pending.get(file.encodedId) ?? []));
    }
    return out;
  }

  /** How many traces the store holds. */
  async count(): Promise<number> {
    return (await this.files()).length;
  }

  /** Removes a trace and its bookkeeping. Returns false when it was not there. */
  async delete(traceId: string): Promise<boolean> {
    const encoded = encodeTraceId(traceId);
    const file = (await this.files()).find((f) => f.encodedId === encoded);
    if (file === undefined) return false;
    await removeFile(join(this.tracesDir, file.name));
    for (const dest of await knownDestinations(this.dir)) {
      for (const kind of ["pending", "sent", "inflight"] as const) await removeFile(dest.marker(kind, encoded));
    }
    return true;
  }

  /** Applies the retention limits now; returns how many traces were removed. */
  async prune(now: number = Date.now()): Promise<number> {
    const files = await this.files();
    const pending = await this.pendingIndex();
    const { doomed, pendingDropped } = planPrune(files, new Set(pending.keys()), { ...this.options, now });
    if (pendingDropped > 0) {
      this.pendingDroppedCount += pendingDropped;
      reportOnce(
        "local-store.pending-full",
        "warn",
        `the local store ${this.dir} holds more than maxPendingTraces (${this.options.maxPendingTraces}) traces waiting for \`traces sync\`; ` +
          "the oldest are removed and counted. Run `npx mlflow-haystack traces sync` once the server is back, or raise MLFLOW_HAYSTACK_LOCAL_MAX_PENDING",
      );
    }
    for (const f of doomed) await removeFile(join(this.tracesDir, f.name));
    // Only the markers of traces removed here: another process may be writing a trace and its
    // marker right now, so "no file in my snapshot" does not mean "orphan".
    const removed = new Set(doomed.map((f) => f.encodedId));
    if (removed.size > 0) {
      for (const dest of await knownDestinations(this.dir)) {
        for (const kind of ["pending", "sent", "inflight"] as const) {
          for (const name of await listDir(dest.folder(kind))) if (removed.has(name)) await removeFile(dest.marker(kind, name));
        }
      }
    }
    await this.removeStaleTemps(now);
    return doomed.length;
  }

  /**
   * Keeps traces a server did not take, marked as pending for `destination`, for `traces sync`.
   *
   * @example
   * await store.saveUndelivered(traces, { destination: { trackingUri: "http://127.0.0.1:5000" } });
   */
  async saveUndelivered(traces: readonly Trace[], options: { readonly destination: SyncDestination }): Promise<void> {
    const dest = new DestinationDir(this.dir, options.destination);
    await dest.describe();
    // Each file is fsynced: a few at once, or keeping 500 traces at exit takes seconds.
    await forEachLimited(traces, WRITE_CONCURRENCY, async (trace) => {
      const text = encodeOrReport(trace, toJsonText);
      if (text === undefined) return;
      await writeFileAtomic(join(this.tracesDir, fileNameOf(trace)), text);
      await writeFileAtomic(dest.marker("pending", encodeTraceId(trace.info.traceId)), "");
    });
    await this.pruneNowAndThen(traces.length);
  }

  /** Writes traces synchronously, for the `exit` event, where asynchronous writes never finish. */
  exportSync(traces: readonly Trace[]): void {
    for (const trace of traces) {
      const text = encodeOrReport(trace, toJsonText);
      if (text !== undefined) writeFileAtomicSync(join(this.tracesDir, fileNameOf(trace)), text);
    }
  }

  /** The synchronous twin of {@link saveUndelivered}, for the `exit` event. */
  saveUndeliveredSync(traces: readonly Trace[], options: { readonly destination: SyncDestination }): void {
    const dest = new DestinationDir(this.dir, options.destination);
    dest.describeSync();
    for (const trace of traces) {
      const text = encodeOrReport(trace, toJsonText);
      if (text === undefined) continue;
      writeFileAtomicSync(join(this.tracesDir, fileNameOf(trace)), text);
      writeFileAtomicSync(dest.marker("pending", encodeTraceId(trace.info.traceId)), "");
    }
  }

  /**
   * A batch processor `onDeliveryFailed` hook that keeps undelivered traces for `destination`:
   * written asynchronously (the returned promise settles once they are on disk), or synchronously
   * when the process is exiting.
   *
   * @example
   * new BatchProcessor(client, { onDeliveryFailed: store.deliveryFailedHook({ trackingUri }) });
   */
  deliveryFailedHook(destination: SyncDestination): (traces: readonly Trace[], error: Error) => Promise<void> | undefined {
    return (traces) => {
      const saved = traces.filter((t): t is Trace => t instanceof Trace);
      if (saved.length === 0) return undefined;
      const fail = (err: unknown): void =>
        reportOnce("local-store.save-undelivered", "error", `could not keep undelivered traces in ${this.dir}; they are lost`, err);
      if (isProcessExiting()) {
        try {
          this.saveUndeliveredSync(saved, { destination });
        } catch (err) {
          fail(err);
        }
        return undefined;
      }
      return this.saveUndelivered(saved, { destination }).then(
        () =>
          reportOnce(
            "local-store.kept-undelivered",
            "warn",
            `undelivered traces were kept in ${this.dir}; send them later with \`npx mlflow-haystack traces sync\``,
          ),
        fail,
      );
    };
  }

  /** Destinations with their pending trace ids (encoded file-name form). */
  async pendingIndex(): Promise<Map<string, string[]>> {
    const index = new Map<string, string[]>();
    for (const dest of await knownDestinations(this.dir)) {
      for (const id of await listDir(dest.folder("pending"))) {
        if (id.startsWith(TEMP_PREFIX)) continue;
        index.set(id, [...(index.get(id) ?? []), dest.destination.trackingUri]);
      }
    }
    return index;
  }

  async shutdown(): Promise<void> {
    // Nothing held open: every write opens and closes its own file.
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

  /**
   * Reads a trace file by name; `undefined` when it vanished or is unreadable. Entries that are
   * not regular files, or are too large to read, are skipped and passed to `onSkip`.
   */
  async readFile(name: string, onSkip?: (name: string, reason: string) => void): Promise<Trace | undefined> {
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

  private async write(trace: Trace): Promise<void> {
    await writeFileAtomic(join(this.tracesDir, fileNameOf(trace)), JSON.stringify(trace));
  }

  private async removeStaleTemps(now: number): Promise<void> {
    for (const name of await listDir(this.tracesDir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const path = join(this.tracesDir, name);
      const age = await stat(path).then(
        (s) => now - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_TEMP_MS) await removeFile(path);
    }
  }
}

function fileNameOf(trace: Trace): string {
  const start = trace.rootSpan?.startTimeNs ?? BigInt(Math.max(0, Math.floor(trace.info.requestTime))) * 1_000_000n;
  return traceFileName(trace.info.traceId, start);
}

export type { LocalStoreOptions, SyncDestination, TraceSummary };
