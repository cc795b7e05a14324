/**
 * The local trace store: the default destination when no tracking URI is set, and the place
 * where traces a server could not take wait to be synced. One file per trace, in the JSON shape of
 * MLflow's `Trace.to_json()`, written atomically; no shared index, so several processes can write
 * at once; each file records the experiment in force (`recorded-experiment.ts`). This module is
 * the writing side (a `TraceClient`); `reader.ts` reads the files, and the admin operations (list, delete, prune, sync) live with the CLI in `lib/cli/local-store/`.
 * Layout (see README "Local store"):
 *
 *   <dir>/traces/<13-digit request ms>-<trace id>.json
 *   <dir>/destinations/<key>/{destination.json, pending/, sent/, inflight/, lock}
 */
import { join } from "node:path";
import { reportOnce } from "../../../internal/diagnostics";
import type { Trace } from "../../../tracing/trace";
import { syncDirectory, writeFileAtomic, writeFileAtomicSync } from "./atomic-file";
import { DestinationDir, type SyncDestination } from "./destinations";
import { encodeTraceId, resolveLocalStoreOptions, traceFileName, type LocalStoreOptions, type ResolvedLocalStoreOptions } from "./location";
import { LocalStoreReader } from "./reader";
import { enforceRetention } from "./retention";
import type { ExportFailure, ExportOptions, ExportResult, TraceClient } from "../trace-client";
import { encodeOrReport, traceIdOf } from "../trace-isolation";
import { forEachLimited } from "../../../internal/for-each-limited";
import { toError } from "../../../internal/to-error";
import { getExperimentSpec } from "../../destination/config";
import type { ExperimentSpec } from "../../mlflow/experiments";
import { traceJsonWithExperiment } from "./recorded-experiment";

/** The file text, with the experiment in force recorded (read once per batch: `setExperiment` may change it). */
const jsonTextWith =
  (experiment: ExperimentSpec | undefined) =>
  (trace: Trace): string =>
    traceJsonWithExperiment(trace, experiment);

const WRITE_CONCURRENCY = 8;
const RETRYABLE_FS = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY"]);

/**
 * Traces on disk, as a {@link TraceClient}: hand it to `setTraceClient`, or read a trace back with
 * `getTrace`. Traces a server did not take are kept with `saveUndelivered` (what `FallbackClient`
 * does). Retention (`maxTraces`, `maxPendingTraces`, `maxAgeDays`) is applied while writing. To
 * list, delete or prune stored traces use the CLI (`npx mlflow-haystack traces list|delete|prune`);
 * to query them, `searchTraces` with the store's `mlflow-haystack-local:<dir>` tracking URI.
 *
 * @example
 * const store = new LocalStore({ dir: "./mlflow-haystack-traces", maxTraces: 500 });
 * setTraceClient(store);
 * const trace = await store.getTrace(traceId);
 */
export class LocalStore implements TraceClient {
  readonly options: ResolvedLocalStoreOptions;
  readonly #reader: LocalStoreReader;
  private writesSincePrune = Number.POSITIVE_INFINITY;
  private pendingDroppedCount = 0;

  constructor(options: LocalStoreOptions = {}) {
    this.options = resolveLocalStoreOptions(options);
    this.#reader = new LocalStoreReader(this.options.dir);
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
    return this.#reader.tracesDir;
  }

  /** Writes a batch; never throws, reports per-trace failures. Prunes now and then. */
  async export(traces: readonly Trace[], options?: Partial<ExportOptions>): Promise<ExportResult> {
    const failures: ExportFailure[] = [];
    const experiment = getExperimentSpec();
    await forEachLimited(traces, WRITE_CONCURRENCY, async (trace) => {
      if (options?.signal?.aborted) {
        failures.push({ traceId: traceIdOf(trace), error: new Error("export aborted before the trace was written"), retryable: true });
        return;
      }
      try {
        await this.write(trace, experiment);
      } catch (err) {
        const error = toError(err);
        failures.push({ traceId: traceIdOf(trace), error, retryable: RETRYABLE_FS.has((err as NodeJS.ErrnoException).code ?? "") });
      }
    });
    await syncDirectory(this.tracesDir);
    await this.pruneNowAndThen(traces.length);
    return { failures };
  }

  /**
   * Applies retention after every few dozen writes (the first write of a process included). It
   * runs here, on the writer's path, rather than only in `traces prune`: an app writing through a
   * long outage must stay within its disk bound with no one running a command.
   */
  private async pruneNowAndThen(written: number): Promise<void> {
    this.writesSincePrune += written;
    if (this.writesSincePrune < Math.min(50, Math.ceil(this.options.maxTraces / 10))) return;
    this.writesSincePrune = 0;
    try {
      const { pendingDropped } = await enforceRetention(this.#reader, this.options);
      if (pendingDropped > 0) this.reportPendingDropped(pendingDropped);
    } catch (err) {
      reportOnce("local-store.prune", "warn", `could not prune the local trace store ${this.dir}`, err);
    }
  }

  private reportPendingDropped(count: number): void {
    this.pendingDroppedCount += count;
    reportOnce(
      "local-store.pending-full",
      "warn",
      `the local store ${this.dir} holds more than maxPendingTraces (${this.options.maxPendingTraces}) traces waiting for \`traces sync\`; ` +
        "the oldest are removed and counted. Run `npx mlflow-haystack traces sync` once the server is back, or raise MLFLOW_HAYSTACK_LOCAL_MAX_PENDING",
    );
  }

  /** Reads one trace, or `undefined` when the store does not have it. */
  getTrace(traceId: string): Promise<Trace | undefined> {
    return this.#reader.getTrace(traceId);
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
    const toJsonText = jsonTextWith(getExperimentSpec());
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
    const toJsonText = jsonTextWith(getExperimentSpec());
    for (const trace of traces) {
      const text = encodeOrReport(trace, toJsonText);
      if (text !== undefined) writeFileAtomicSync(join(this.tracesDir, fileNameOf(trace)), text);
    }
  }

  /** The synchronous twin of {@link saveUndelivered}, for the `exit` event. */
  saveUndeliveredSync(traces: readonly Trace[], options: { readonly destination: SyncDestination }): void {
    const dest = new DestinationDir(this.dir, options.destination);
    dest.describeSync();
    const toJsonText = jsonTextWith(getExperimentSpec());
    for (const trace of traces) {
      const text = encodeOrReport(trace, toJsonText);
      if (text === undefined) continue;
      writeFileAtomicSync(join(this.tracesDir, fileNameOf(trace)), text);
      writeFileAtomicSync(dest.marker("pending", encodeTraceId(trace.info.traceId)), "");
    }
  }

  async shutdown(): Promise<void> {
    // Nothing held open: every write opens and closes its own file.
  }

  private async write(trace: Trace, experiment: ExperimentSpec | undefined): Promise<void> {
    await writeFileAtomic(join(this.tracesDir, fileNameOf(trace)), traceJsonWithExperiment(trace, experiment));
  }
}

function fileNameOf(trace: Trace): string {
  const start = trace.rootSpan?.startTimeNs ?? BigInt(Math.max(0, Math.floor(trace.info.requestTime))) * 1_000_000n;
  return traceFileName(trace.info.traceId, start);
}

export type { LocalStoreOptions, SyncDestination };
