/**
 * The OpenTelemetry bridge with a real `@opentelemetry/sdk-trace-node` provider registered as an
 * app would: parent/child ids line up across the boundary in both directions, concurrent requests
 * keep their trees apart, our spans are never recorded by the app's provider, and turning our
 * side off leaves the app's provider working.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { context, trace } from "@opentelemetry/api";
import { startSpan, traced, type Trace } from "../../lib/index";
import { BatchProcessor } from "../../lib/export/batch/processor";
import { MemoryClient } from "../../lib/export/clients/memory-client";
import { disableOtelBridge, enableOtelBridge, isOtelBridgeEnabled } from "../../lib/otel/bridge";
import { otelContextManagerRegistered } from "../../lib/otel/detection";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { otelTraceIdOf } from "../../lib/tracing/ids";
import { useBridgedOtel, type CollectedTraces, type OtelHarness } from "./otel-harness";

describe("OpenTelemetry bridge with a registered NodeTracerProvider", () => {
  let otel: OtelHarness;
  let collected: CollectedTraces;

  useBridgedOtel((o, c) => {
    otel = o;
    collected = c;
  });

  function only(name: string): Trace {
    const traces = collected.byRoot(name);
    expect(traces).toHaveLength(1);
    return traces[0] as Trace;
  }

  it("makes a root span started inside an active OpenTelemetry span join its trace, with that span as parent", async () => {
    const request = await otel.tracer.startActiveSpan("GET /ask", async (span) => {
      await startSpan({ name: "pipeline", spanType: "CHAIN" }, () => startSpan({ name: "retriever" }, async () => "docs"));
      span.end();
      return span.spanContext();
    });
    const ours = only("pipeline");
    expect(otelTraceIdOf(ours.info.traceId)).toBe(request.traceId);
    expect(ours.rootSpan?.parentId).toBe(request.spanId);
    const retriever = ours.data.spans.find((s) => s.name === "retriever");
    expect(retriever?.parentId).toBe(ours.rootSpan?.spanId);
  });

  it("gives OpenTelemetry spans started inside our spans our span as parent (startSpan, traced, async generators)", async () => {
    const otelChild = (name: string): void => otel.tracer.startActiveSpan(name, (s) => s.end());
    const tracedFn = traced(async function component(q: string) {
      await sleep(1);
      otelChild("http.in-traced");
      return q;
    });
    const stream = traced(async function* chunks() {
      yield 1;
      otelChild("http.in-generator");
      yield 2;
    });
    await startSpan({ name: "root", spanType: "CHAIN" }, async () => {
      otelChild("http.sync-in-root");
      await sleep(1);
      await tracedFn("q");
      for await (const _ of stream()) void _;
    });
    const ours = only("root");
    const idOf = (name: string): string | undefined => ours.data.spans.find((s) => s.name === name)?.spanId;
    const traceId = otelTraceIdOf(ours.info.traceId);
    for (const [otelName, ourName] of [
      ["http.sync-in-root", "root"],
      ["http.in-traced", "component"],
      ["http.in-generator", "chunks"],
    ] as const) {
      const [recorded] = otel.finished(otelName);
      expect(recorded?.spanContext().traceId).toBe(traceId);
      expect(recorded?.parentSpanContext?.spanId).toBe(idOf(ourName));
    }
  });

  it("lines up a whole request both ways: OTel server span → our pipeline → our component → OTel client span", async () => {
    await otel.tracer.startActiveSpan("POST /chat", { kind: 1 }, async (server) => {
      await startSpan({ name: "chat_pipeline", spanType: "CHAIN" }, () =>
        startSpan({ name: "llm", spanType: "LLM" }, async () => {
          await sleep(1);
          otel.tracer.startActiveSpan("POST api.openai.test", { kind: 2 }, (client) => client.end());
        }),
      );
      server.end();
    });
    const [server] = otel.finished("POST /chat");
    const [client] = otel.finished("POST api.openai.test");
    const ours = only("chat_pipeline");
    const llm = ours.data.spans.find((s) => s.name === "llm");
    expect(ours.rootSpan?.parentId).toBe(server?.spanContext().spanId);
    expect(client?.parentSpanContext?.spanId).toBe(llm?.spanId);
    expect(new Set([server?.spanContext().traceId, client?.spanContext().traceId, otelTraceIdOf(ours.info.traceId)]).size).toBe(1);
  });

  it("does not let the app's provider record our spans (no double recording)", async () => {
    await otel.tracer.startActiveSpan("request", async (span) => {
      await startSpan({ name: "pipeline" }, () => startSpan({ name: "component" }, async () => 1));
      span.end();
    });
    expect(otel.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["request"]);
  });

  it("keeps the trees of 25 concurrent requests apart", async () => {
    const requests = Array.from({ length: 25 }, (_, i) =>
      otel.tracer.startActiveSpan(`req-${i}`, async (server) => {
        await sleep(Math.floor(Math.random() * 5));
        await startSpan({ name: `pipe-${i}` }, async () => {
          await sleep(Math.floor(Math.random() * 5));
          await startSpan({ name: `step-${i}` }, async () => {
            await sleep(Math.floor(Math.random() * 5));
            otel.tracer.startActiveSpan(`call-${i}`, (s) => s.end());
          });
        });
        server.end();
      }),
    );
    await Promise.all(requests);
    for (let i = 0; i < 25; i++) {
      const [server] = otel.finished(`req-${i}`);
      const [call] = otel.finished(`call-${i}`);
      const ours = only(`pipe-${i}`);
      expect(ours.data.spans.map((s) => s.name)).toEqual([`pipe-${i}`, `step-${i}`]);
      expect(otelTraceIdOf(ours.info.traceId)).toBe(server?.spanContext().traceId);
      expect(ours.rootSpan?.parentId).toBe(server?.spanContext().spanId);
      expect(call?.parentSpanContext?.spanId).toBe(ours.data.spans[1]?.spanId);
    }
  });

  it("starts independent traces again once the bridge is disabled", async () => {
    disableOtelBridge();
    expect(isOtelBridgeEnabled()).toBe(false);
    const request = await otel.tracer.startActiveSpan("GET /plain", async (span) => {
      await startSpan({ name: "unbridged" }, async () => otel.tracer.startActiveSpan("inner", (s) => s.end()));
      span.end();
      return span.spanContext();
    });
    const ours = only("unbridged");
    expect(otelTraceIdOf(ours.info.traceId)).not.toBe(request.traceId);
    expect(ours.rootSpan?.parentId).toBeNull();
    expect(otel.finished("inner")[0]?.parentSpanContext?.spanId).toBe(request.spanId);
  });

  it("can join the active span without parenting OpenTelemetry spans (parentOtelSpans: false)", async () => {
    enableOtelBridge({ parentOtelSpans: false });
    const request = await otel.tracer.startActiveSpan("GET /half", async (span) => {
      await startSpan({ name: "half" }, async () => otel.tracer.startActiveSpan("inner-half", (s) => s.end()));
      span.end();
      return span.spanContext();
    });
    expect(only("half").rootSpan?.parentId).toBe(request.spanId);
    expect(otel.finished("inner-half")[0]?.parentSpanContext?.spanId).toBe(request.spanId);
  });

  it("leaves the app's provider and context manager working after our export pipeline shuts down", async () => {
    const memory = new MemoryClient();
    const processor = new BatchProcessor(memory, { scheduledDelayMs: 1 });
    const removeSink = addTraceSink({ onTraceCompleted: (t) => processor.enqueue(t) });
    await startSpan({ name: "before-shutdown" }, async () => otel.tracer.startActiveSpan("during", (s) => s.end()));
    await processor.flush();
    removeSink();
    await processor.shutdown();
    disableOtelBridge();
    expect(memory.traces.map((t) => t.rootSpan?.name)).toEqual(["before-shutdown"]);

    expect(otelContextManagerRegistered()).toBe(true);
    await otel.tracer.startActiveSpan("after", async (outer) => {
      await sleep(1);
      expect(trace.getSpan(context.active())).toBe(outer);
      otel.tracer.startActiveSpan("after-child", (s) => s.end());
      outer.end();
    });
    const [after] = otel.finished("after");
    expect(otel.finished("after-child")[0]?.parentSpanContext?.spanId).toBe(after?.spanContext().spanId);
  });
});
