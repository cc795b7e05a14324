/**
 * The contract between the batch processor (queue, retries, timeouts) and the clients that turn a
 * batch of finished traces into requests or files. Clients never queue or retry.
 */
import type { Trace } from "../../tracing/trace";

/** One trace a client could not deliver, and whether trying again may help. */
export interface ExportFailure {
  readonly traceId: string;
  readonly error: Error;
  /** True for network errors, timeouts, 429 and 5xx; false for 4xx and bad data. */
  readonly retryable: boolean;
  /** From a `Retry-After` header, in milliseconds. */
  readonly retryAfterMs?: number;
}

/** What a client reports for one batch: the traces that failed (none means all landed). */
export interface ExportResult {
  readonly failures: readonly ExportFailure[];
}

/** Options the processor passes to every export call. */
export interface ExportOptions {
  /** Aborted when the per-request timeout passes or the processor shuts down. */
  readonly signal: AbortSignal;
}

/**
 * Where finished traces go: an MLflow server, the local store, an OTLP collector, memory.
 * Plug your own in with `setTraceClient`.
 *
 * @example
 * const client: TraceClient = {
 *   async export(traces) { for (const t of traces) console.log(t.info.traceId); return { failures: [] }; },
 *   async shutdown() {},
 * };
 */
export interface TraceClient {
  /** Delivers a batch. Must not throw for per-trace failures: report them in the result. */
  export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult>;
  /** Reads a trace back, when the destination supports it; `signal` bounds the wait. */
  getTrace?(traceId: string, options?: { signal?: AbortSignal }): Promise<Trace | undefined>;
  /** Releases sockets and files. Called once. */
  shutdown(): Promise<void>;
}
