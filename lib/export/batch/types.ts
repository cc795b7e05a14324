/**
 * The shapes the batch processor works with: the client it calls, its counters, and its own
 * bookkeeping records for calls in flight, backoffs and settled traces.
 */
import type { QueueEntry } from "./queue";
import type { RunningCall } from "./export-call";
import type { ExportOptions, ExportResult } from "../clients/trace-client";

/** The part of a `TraceClient` the processor uses, generic over the trace type (a `TraceClient` fits). */
export interface BatchExportClient<T> {
  export(traces: readonly T[], options: ExportOptions): Promise<ExportResult>;
  shutdown(): Promise<void>;
  /**
   * Keeps the traces the processor gives up on (a `FallbackClient` writes them to the local store);
   * used when no `onDeliveryFailed` option is given. A promise keeps flushes waiting until it settles.
   */
  keepUndelivered?(traces: readonly T[], error: Error): unknown;
}

/** Counters since the processor was created, and what it holds now. */
export interface BatchProcessorStats {
  /** Held but not in flight: waiting for a batch or for a retry. */
  readonly queued: number;
  readonly inFlight: number;
  readonly exported: number;
  readonly failed: number;
  readonly dropped: number;
  /** Retries scheduled (one per trace per retry). */
  readonly retries: number;
}

export interface Job<T> {
  readonly entries: QueueEntry<T>[];
  call: RunningCall | undefined;
}

export interface Settled<T> {
  readonly entry: QueueEntry<T>;
  readonly error: Error;
  readonly retryAfterMs?: number | undefined;
}

export { isThenable } from "../../internal/thenable";

export function isExportResult(value: unknown): value is ExportResult {
  return typeof value === "object" && value !== null && Array.isArray((value as ExportResult).failures);
}

/**
 * Whether an error a client threw says that trying again cannot help: a configuration error, or an
 * error that declares itself not retryable. Matched by shape, so errors of another package copy count.
 */
export function isFinalError(error: Error): boolean {
  return error.name === "ConfigError" || (error as { retryable?: unknown }).retryable === false;
}
