/**
 * The local-store fallback as a client decorator: batches go to the primary client (an MLflow
 * server, or the server and an OTLP collector), and the traces the batch processor gives up on
 * (out of retries, the queue full while the server is down, the process exiting) are kept in the
 * local store, marked pending for the primary's tracking URI, for `traces sync`.
 */
import type { Trace } from "../../tracing/trace";
import { keepLocally, type FallbackReport } from "./keep-locally";
import type { SyncDestination } from "./local-store/destinations";
import type { LocalStore } from "./local-store/store";
import type { ExportOptions, ExportResult, TraceClient } from "./trace-client";

export type { FallbackReport } from "./keep-locally";

/** Where kept traces are marked pending, and who is told. */
export interface FallbackOptions {
  readonly destination: SyncDestination;
  readonly report?: FallbackReport;
}

/**
 * @example
 * const client = new FallbackClient(new MlflowRestClient({ trackingUri }), new LocalStore(), { destination: { trackingUri } });
 * const processor = new BatchProcessor(client); // failed-for-good traces land in the local store
 */
export class FallbackClient implements TraceClient {
  /** `localStore` may be a function, so a store that is never needed is never made. */
  constructor(
    readonly primary: TraceClient,
    private readonly localStore: LocalStore | (() => LocalStore),
    private readonly options: FallbackOptions,
  ) {}

  export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
    return this.primary.export(traces, options);
  }

  async getTrace(traceId: string, options?: { signal?: AbortSignal }): Promise<Trace | undefined> {
    return this.primary.getTrace === undefined ? undefined : this.primary.getTrace(traceId, options);
  }

  shutdown(): Promise<void> {
    return this.primary.shutdown();
  }

  /**
   * Keeps traces the primary could not take (see {@link keepInLocalStore}); the batch processor
   * calls it for the traces it gives up on. Never throws.
   */
  keepUndelivered(traces: readonly Trace[], error: Error): Promise<void> | undefined {
    return keepInLocalStore(typeof this.localStore === "function" ? this.localStore() : this.localStore, traces, error, this.options);
  }
}

/**
 * Keeps traces a server did not take in `store`, pending for `options.destination`: the returned
 * promise settles once they are on disk; at exit, where only synchronous writes finish, they are
 * written before it returns. Never throws.
 */
export function keepInLocalStore(store: LocalStore, traces: readonly Trace[], error: Error, options: FallbackOptions): Promise<void> | undefined {
  const { destination, report } = options;
  const where = { destination: destination.trackingUri, dir: store.dir, error };
  return keepLocally(store, traces, report, {
    lostKey: "local-store.save-undelivered",
    writeSync: (into, saved) => into.saveUndeliveredSync(saved, { destination }),
    write: (into, saved) => into.saveUndelivered(saved, { destination }).then(() => []),
    kept: (to, count, ending) => to?.kept(count, where, { ending }),
  });
}
