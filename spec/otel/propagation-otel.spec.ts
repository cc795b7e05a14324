/**
 * W3C propagation when the app also runs an OpenTelemetry SDK and the bridge is on: headers name
 * the innermost span of either system, and continued traces reach OpenTelemetry spans too.
 */
import { ROOT_CONTEXT, context, trace } from "@opentelemetry/api";
import { startSpan } from "../../lib/index";
import { continueTrace, injectTraceContext } from "../../lib/otel/propagation";
import { useBridgedOtel, type CollectedTraces, type OtelHarness } from "./otel-harness";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("trace context propagation with the OpenTelemetry bridge", () => {
  let otel: OtelHarness;
  let collected: CollectedTraces;

  useBridgedOtel((o, c) => {
    otel = o;
    collected = c;
  });

  it("makes OpenTelemetry spans inside continueTrace children of the remote caller", () => {
    continueTrace({ traceparent: `00-${TRACE}-${SPAN}-01` }, () => otel.tracer.startActiveSpan("db.query", (s) => s.end()));
    const [db] = otel.finished("db.query");
    expect(db?.spanContext().traceId).toBe(TRACE);
    expect(db?.parentSpanContext).toMatchObject({ spanId: SPAN, isRemote: true });
  });

  it("joins an OpenTelemetry server span of the continued trace rather than the remote caller", async () => {
    await continueTrace({ traceparent: `00-${TRACE}-${SPAN}-01` }, () =>
      otel.tracer.startActiveSpan("POST /rank", async (server) => {
        await startSpan({ name: "rank" }, async () => 1);
        server.end();
      }),
    );
    const [server] = otel.finished("POST /rank");
    const [ours] = collected.byRoot("rank");
    expect(ours?.info.traceId).toBe(`tr-${TRACE}`);
    expect(ours?.rootSpan?.parentId).toBe(server?.spanContext().spanId);
    expect(server?.parentSpanContext?.spanId).toBe(SPAN);
  });

  it("keeps an OpenTelemetry server span that already continued the trace when continueTrace runs inside it", async () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    await context.with(remote, () =>
      otel.tracer.startActiveSpan("POST /rank", async (server) => {
        await continueTrace({ traceparent: `00-${TRACE}-${SPAN}-01` }, () => startSpan({ name: "rank-inside" }, async () => 1));
        server.end();
      }),
    );
    const [server] = otel.finished("POST /rank");
    expect(collected.byRoot("rank-inside")[0]?.rootSpan?.parentId).toBe(server?.spanContext().spanId);
  });

  it("names the innermost span in outgoing headers: an OpenTelemetry span inside ours, else ours", async () => {
    const seen = await startSpan({ name: "pipeline" }, async (span) => {
      const inOurs = injectTraceContext();
      const inOtel = otel.tracer.startActiveSpan("http.client", (client) => {
        const headers = injectTraceContext();
        client.end();
        return { headers, id: client.spanContext() };
      });
      return { span, inOurs, inOtel };
    });
    const traceId = seen.inOtel.id.traceId;
    expect(seen.inOurs.traceparent).toBe(`00-${traceId}-${seen.span.spanId}-01`);
    expect(seen.inOtel.headers.traceparent).toBe(`00-${traceId}-${seen.inOtel.id.spanId}-01`);
  });

  it("names the active OpenTelemetry span, with its sampling flag, when none of ours is active", () => {
    const unsampled = trace.wrapSpanContext({ traceId: TRACE, spanId: SPAN, traceFlags: 0 });
    const headers = context.with(trace.setSpan(ROOT_CONTEXT, unsampled), () => injectTraceContext());
    expect(headers).toEqual({ traceparent: `00-${TRACE}-${SPAN}-00` });
  });
});
