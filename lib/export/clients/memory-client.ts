/**
 * A {@link TraceClient} that keeps exported traces in memory: for tests, and for reading what the
 * SDK would have sent.
 */
import type { Trace } from "../../tracing/trace";
import type { ExportOptions, ExportResult, TraceClient } from "./trace-client";

/**
 * Keeps every exported trace in {@link MemoryClient.traces}, in export order.
 *
 * @example
 * const memory = new MemoryClient();
 * setTraceClient(memory);
 * await pipe.run({ ... });
 * await flushTraces();
 * expect(memory.traces[0]?.data.spans.length).toBe(3);
 */
export class MemoryClient implements TraceClient {
  private readonly exported: Trace[] = [];

  /** The traces exported so far, oldest first. */
  get traces(): readonly Trace[] {
    return this.exported;
  }

  async export(traces: readonly Trace[], options?: ExportOptions): Promise<ExportResult> {
    if (options?.signal.aborted === true) {
      return { failures: traces.map((t) => ({ traceId: t.info.traceId, error: new Error("export aborted"), retryable: true })) };
    }
    this.exported.push(...traces);
    return { failures: [] };
  }

  /** The newest exported trace with this id. */
  async getTrace(traceId: string): Promise<Trace | undefined> {
    for (let i = this.exported.length - 1; i >= 0; i--) {
      const trace = this.exported[i];
      if (trace?.info.traceId === traceId) return trace;
    }
    return undefined;
  }

  /** Forgets every exported trace. */
  clear(): void {
    this.exported.length = 0;
  }

  async shutdown(): Promise<void> {}
}
