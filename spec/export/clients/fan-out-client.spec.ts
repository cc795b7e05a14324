/**
 * Dual export: FanOutClient delivers each trace to every destination, and a retry after a failure
 * at one destination does not send the trace to the others again (no double recording).
 */
import { getLastActiveTrace, startSpan, type Trace } from "../../../lib/index";
import { BatchProcessor } from "../../../lib/export/batch/processor";
import { ExportError } from "../../../lib/export/errors";
import { MemoryClient } from "../../../lib/export/clients/memory-client";
import type { ExportResult, TraceClient } from "../../../lib/export/clients/trace-client";
import { FanOutClient } from "../../../lib/export/clients/fan-out-client";
import { OtlpClient } from "../../../lib/export/clients/otlp-client";
import { startCollector, type Collector } from "./otlp-collector";

async function makeTrace(name: string): Promise<Trace> {
  await startSpan({ name }, async () => 1);
  return getLastActiveTrace() as Trace;
}

/** A destination that records what it received and fails traces as scripted. */
class ScriptedClient implements TraceClient {
  readonly received: string[][] = [];
  shutdowns = 0;
  constructor(private readonly script: Array<(traces: readonly Trace[]) => ExportResult | Error>) {}
  async export(traces: readonly Trace[]): Promise<ExportResult> {
    this.received.push(traces.map((t) => t.rootSpan?.name ?? ""));
    const step = this.script.shift() ?? (() => ({ failures: [] }));
    const outcome = step(traces);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

const failAll =
  (retryable: boolean, retryAfterMs?: number) =>
  (traces: readonly Trace[]): ExportResult => ({
    failures: traces.map((t) => ({
      traceId: t.info.traceId,
      error: new ExportError("down", { retryable }),
      retryable,
      ...(retryAfterMs ? { retryAfterMs } : {}),
    })),
  });

describe("FanOutClient", () => {
  const signal = (): AbortSignal => AbortSignal.timeout(10_000);

  it("retries only the destination that failed, and reports success once every destination has the trace", async () => {
    const mlflow = new ScriptedClient([]);
    const collector = new ScriptedClient([failAll(true, 250)]);
    const fanOut = new FanOutClient([mlflow, collector]);
    const trace = await makeTrace("a");
    const first = await fanOut.export([trace], { signal: signal() });
    expect(first.failures).toHaveLength(1);
    expect(first.failures[0]).toMatchObject({ traceId: trace.info.traceId, retryable: true, retryAfterMs: 250 });
    expect(first.failures[0]?.error.message).toBe("destination 1 failed: down");
    expect(await fanOut.export([trace], { signal: signal() })).toEqual({ failures: [] });
    expect(mlflow.received).toEqual([["a"]]);
    expect(collector.received).toEqual([["a"], ["a"]]);
  });

  it("is final when any failing destination says so, and names every failure", async () => {
    const fanOut = new FanOutClient([new ScriptedClient([failAll(false)]), new ScriptedClient([failAll(true)])]);
    const { failures } = await fanOut.export([await makeTrace("b")], { signal: signal() });
    expect(failures[0]?.retryable).toBe(false);
    expect(failures[0]?.error).toBeInstanceOf(AggregateError);
    expect(failures[0]?.error.message).toBe("destination 0 failed: down; destination 1 failed: down");
  });

  it("treats a destination that throws as failing its whole batch", async () => {
    const fanOut = new FanOutClient([new ScriptedClient([() => new Error("bug")]), new ScriptedClient([])]);
    const traces = [await makeTrace("c"), await makeTrace("d")];
    const { failures } = await fanOut.export(traces, { signal: signal() });
    expect(failures.map((f) => f.traceId)).toEqual(traces.map((t) => t.info.traceId));
  });

  it("reads traces back from the first destination that has them and shuts every destination down once", async () => {
    const memory = new MemoryClient();
    const other = new ScriptedClient([]);
    const fanOut = new FanOutClient([other, memory]);
    const trace = await makeTrace("e");
    await fanOut.export([trace], { signal: signal() });
    expect(await fanOut.getTrace(trace.info.traceId)).toBe(trace);
    const first = fanOut.shutdown();
    expect(fanOut.shutdown()).toBe(first);
    await first;
    expect(other.shutdowns).toBe(1);
  });

  it("rejects an empty client list at construction", () => {
    expect(() => new FanOutClient([])).toThrow(/between 1 and 30 clients, got 0/);
  });

  describe("behind the batch processor, with a real OTLP collector that fails once", () => {
    let collector: Collector;
    beforeEach(async () => {
      collector = await startCollector();
    });
    afterEach(async () => {
      await collector.close();
    });

    it("records the trace once in MLflow's place and once at the collector", async () => {
      collector.answer({ status: 503 });
      const memory = new MemoryClient();
      const otlp = new OtlpClient({ endpoint: `${collector.url}/v1/traces`, protocol: "http/json" }, {});
      const processor = new BatchProcessor(new FanOutClient([memory, otlp]), { scheduledDelayMs: 1, initialBackoffMs: 1, flushOnExit: false });
      processor.enqueue(await makeTrace("dual"));
      await processor.flush();
      await processor.shutdown();
      expect(memory.traces.map((t) => t.rootSpan?.name)).toEqual(["dual"]);
      expect(collector.requests).toHaveLength(2);
      expect(collector.json(1).resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual(["dual"]);
    });
  });
});
