/**
 * Dual (or wider) export: one {@link TraceClient} that delivers each trace to several destinations,
 * for example MLflow and an OTLP collector. It remembers which destinations already accepted a
 * trace, so when the batch processor retries a trace that failed at one of them, the others do not
 * receive — and record — it a second time.
 */
import { ConfigError, toExportFailure } from "../errors";
import type { ExportFailure, ExportOptions, ExportResult, TraceClient } from "./trace-client";
import type { Trace } from "../../tracing/trace";

/** A failure at one destination of a {@link FanOutClient}, naming it. */
function destinationError(index: number, failure: ExportFailure): Error {
  const error = new Error(`destination ${index} failed: ${failure.error.message}`, { cause: failure.error });
  error.name = failure.error.name;
  return error;
}

/**
 * Sends every trace to all `clients` at once. A trace counts as failed while any destination
 * still lacks it; it is retryable only if every destination that failed says so.
 *
 * @example
 * setTraceClient(new FanOutClient([new MlflowRestClient(), new OtlpClient({ endpoint: "http://collector:4318/v1/traces" })]));
 */
export class FanOutClient implements TraceClient {
  private readonly clients: readonly TraceClient[];
  /** Destinations (bit i = client i) that accepted a trace; kept only until all have it. */
  private readonly delivered = new WeakMap<Trace, number>();
  private shutdownPromise: Promise<void> | undefined;

  constructor(clients: readonly TraceClient[]) {
    if (clients.length === 0 || clients.length > 30) {
      throw new ConfigError(`FanOutClient needs between 1 and 30 clients, got ${clients.length}.`);
    }
    this.clients = [...clients];
  }

  async export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
    const all = (1 << this.clients.length) - 1;
    const failedAt = new Map<string, { failures: ExportFailure[] }>();
    await Promise.all(
      this.clients.map(async (client, index) => {
        const bit = 1 << index;
        const pending = traces.filter((t) => ((this.delivered.get(t) ?? 0) & bit) === 0);
        if (pending.length === 0) return;
        let failures: readonly ExportFailure[];
        try {
          failures = (await client.export(pending, options)).failures;
        } catch (error) {
          failures = pending.map((t) => toExportFailure(t.info.traceId, error));
        }
        const failedIds = new Set<string>();
        for (const failure of failures) {
          failedIds.add(failure.traceId);
          const entry = failedAt.get(failure.traceId) ?? { failures: [] };
          entry.failures.push({ ...failure, error: destinationError(index, failure) });
          failedAt.set(failure.traceId, entry);
        }
        for (const trace of pending) {
          if (!failedIds.has(trace.info.traceId)) this.delivered.set(trace, (this.delivered.get(trace) ?? 0) | bit);
        }
      }),
    );
    const result: ExportFailure[] = [];
    for (const trace of traces) {
      const entry = failedAt.get(trace.info.traceId);
      if (entry === undefined) {
        if ((this.delivered.get(trace) ?? 0) === all) this.delivered.delete(trace);
        continue;
      }
      const first = entry.failures[0] as ExportFailure;
      const retryAfter = Math.max(...entry.failures.map((f) => f.retryAfterMs ?? 0));
      result.push({
        traceId: trace.info.traceId,
        error:
          entry.failures.length === 1
            ? first.error
            : new AggregateError(
                entry.failures.map((f) => f.error),
                entry.failures.map((f) => f.error.message).join("; "),
              ),
        retryable: entry.failures.every((f) => f.retryable),
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter } : {}),
      });
    }
    return { failures: result };
  }

  /** Reads a trace back from the first destination that can and has it. */
  async getTrace(traceId: string): Promise<Trace | undefined> {
    for (const client of this.clients) {
      const trace = await client.getTrace?.(traceId);
      if (trace !== undefined) return trace;
    }
    return undefined;
  }

  /** Shuts every destination down; a second call returns the same promise. */
  shutdown(): Promise<void> {
    return (this.shutdownPromise ??= Promise.allSettled(this.clients.map((c) => c.shutdown())).then(() => undefined));
  }
}
