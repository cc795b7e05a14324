/**
 * W3C Trace Context in and out without any OpenTelemetry SDK: `injectTraceContext` names the
 * active span, `continueTrace` makes root spans join the caller's trace, and invalid headers start
 * a new trace as the spec asks.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { getLastActiveTrace, startSpan, type Trace } from "../../lib/index";
import { enableOtelBridge, disableOtelBridge } from "../../lib/otel/bridge";
import { otelContextManagerRegistered, otelTracerProviderRegistered } from "../../lib/otel/detection";
import { continueTrace, injectTraceContext } from "../../lib/otel/propagation";
import { parseTraceparent, readHeader } from "../../lib/otel/traceparent";
import { otelTraceIdOf } from "../../lib/tracing/ids";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

async function traceOf(run: () => Promise<unknown>): Promise<Trace> {
  await run();
  return getLastActiveTrace() as Trace;
}

describe("parseTraceparent", () => {
  it("reads a valid version-00 header and its tracestate", () => {
    expect(parseTraceparent(TRACEPARENT, "vendor=abc,other=1")).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true, traceState: "vendor=abc,other=1" });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.sampled).toBe(false);
  });

  it.each([
    ["uppercase hex", `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ["all-zero trace id", `00-${"0".repeat(32)}-${SPAN}-01`],
    ["all-zero span id", `00-${TRACE}-${"0".repeat(16)}-01`],
    ["version ff", `ff-${TRACE}-${SPAN}-01`],
    ["version 00 with extra fields", `${TRACEPARENT}-extra`],
    ["short trace id", `00-${TRACE.slice(1)}-${SPAN}-01`],
    ["garbage", "not a traceparent"],
  ])("rejects %s", (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("reads the first four fields of a future version", () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-future`)?.spanId).toBe(SPAN);
  });

  it("finds headers case-insensitively in plain objects, arrays and fetch Headers", () => {
    expect(readHeader({ TraceParent: TRACEPARENT }, "traceparent")).toBe(TRACEPARENT);
    expect(readHeader({ tracestate: ["a=1", "b=2"] }, "tracestate")).toBe("a=1,b=2");
    expect(readHeader(new Headers({ traceparent: TRACEPARENT }), "traceparent")).toBe(TRACEPARENT);
  });
});

describe("trace context propagation without an OpenTelemetry SDK", () => {
  afterEach(() => disableOtelBridge());

  it("sees no OpenTelemetry SDK in this process", () => {
    expect(otelContextManagerRegistered()).toBe(false);
    expect(otelTracerProviderRegistered()).toBe(false);
  });

  it("injects traceparent naming the active span, into plain objects and fetch Headers", async () => {
    const seen = await startSpan({ name: "outer" }, () =>
      startSpan({ name: "call" }, async (span) => ({ plain: injectTraceContext({ accept: "x" }), fetch: injectTraceContext(new Headers()), span })),
    );
    const expected = `00-${otelTraceIdOf(seen.span.traceId)}-${seen.span.spanId}-01`;
    expect(seen.plain).toEqual({ accept: "x", traceparent: expected });
    expect(seen.fetch.get("traceparent")).toBe(expected);
    expect(seen.fetch.has("tracestate")).toBe(false);
  });

  it("leaves headers unchanged outside any span", () => {
    expect(injectTraceContext({ a: "1" })).toEqual({ a: "1" });
  });

  it("makes root spans inside continueTrace join the caller's trace with the caller's span as parent", async () => {
    const trace = await traceOf(() =>
      continueTrace({ traceparent: TRACEPARENT }, () => startSpan({ name: "handler" }, () => startSpan({ name: "step" }, async () => 1))),
    );
    expect(trace.info.traceId).toBe(`tr-${TRACE}`);
    expect(trace.rootSpan?.name).toBe("handler");
    expect(trace.data.spans.map((s) => [s.name, s.parentId])).toEqual([
      ["handler", SPAN],
      ["step", trace.rootSpan?.spanId],
    ]);
  });

  it("passes tracestate on to outgoing requests of the continued trace", async () => {
    const headers = await continueTrace({ traceparent: TRACEPARENT, tracestate: "congo=t61rcWkgMzE" }, () =>
      startSpan({ name: "handler" }, async () => injectTraceContext()),
    );
    expect(headers.tracestate).toBe("congo=t61rcWkgMzE");
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(headers.traceparent).not.toContain(SPAN);
  });

  it("passes the caller's context through when a request is made before any span starts", () => {
    const headers = continueTrace({ traceparent: TRACEPARENT, tracestate: "a=1" }, () => injectTraceContext());
    expect(headers).toEqual({ traceparent: TRACEPARENT, tracestate: "a=1" });
  });

  it("starts a new trace for a missing or invalid traceparent, and after continueTrace returns", async () => {
    const invalid = await traceOf(() => continueTrace({ traceparent: "00-zz" }, () => startSpan({ name: "bad" }, async () => 1)));
    expect(invalid.rootSpan?.parentId).toBeNull();
    expect(invalid.info.traceId).not.toBe(`tr-${TRACE}`);
    await continueTrace({ traceparent: TRACEPARENT }, async () => undefined);
    const after = await traceOf(() => startSpan({ name: "after" }, async () => 1));
    expect(after.rootSpan?.parentId).toBeNull();
    expect(after.info.traceId).not.toBe(`tr-${TRACE}`);
  });

  it("keeps concurrent continuations apart", async () => {
    const ids = Array.from({ length: 20 }, (_, i) => ({ trace: i.toString(16).padStart(32, "a"), span: i.toString(16).padStart(16, "b") }));
    const results = await Promise.all(
      ids.map((id) =>
        continueTrace({ traceparent: `00-${id.trace}-${id.span}-01` }, () =>
          startSpan({ name: "handler" }, async (span) => {
            await sleep(Math.floor(Math.random() * 5));
            return startSpan({ name: "child" }, async (child) => ({ root: span, child }));
          }),
        ),
      ),
    );
    results.forEach(({ root, child }, i) => {
      expect(root.traceId).toBe(`tr-${ids[i]?.trace}`);
      expect(root.parentId).toBe(ids[i]?.span);
      expect(child.parentId).toBe(root.spanId);
    });
  });

  it("changes nothing about root spans when the bridge is enabled but no OpenTelemetry SDK is registered", async () => {
    enableOtelBridge();
    const trace = await traceOf(() => startSpan({ name: "alone" }, async () => 1));
    expect(trace.rootSpan?.parentId).toBeNull();
  });
});
