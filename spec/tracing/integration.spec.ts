import { getLastActiveTrace, SpanType, startSpan, tracing } from "../../lib/index";
import {
  activeSpan,
  composeSnapshot,
  endWhenSettled,
  endWithError,
  openIntegrationSpan,
  recordOutputs,
  runWithActiveSpan,
  setSnapshotInputs,
  snapshot,
  snapshotPart,
  traceCall,
} from "../../lib/tracing/integration";

afterEach(() => tracing.enable());

describe("the integration interface", () => {
  it("traces a call as a child of the active span, with inputs, attributes and outputs", async () => {
    let seen: string | undefined;
    const result = await startSpan({ name: "app" }, () =>
      traceCall(
        { name: "search", spanType: SpanType.TOOL, inputs: { query: "q" }, attributes: { "tool.kind": "bm25" } },
        async () => {
          seen = activeSpan()?.name;
          return ["doc"];
        },
        { onStart: (span) => span.setAttribute("started", true), onResult: recordOutputs },
      ),
    );
    expect(result).toEqual(["doc"]);
    expect(seen).toBe("search");
    const [root, child] = getLastActiveTrace()!.data.spans;
    expect(child).toMatchObject({
      name: "search",
      spanType: "TOOL",
      parentId: root!.spanId,
      inputs: { query: "q" },
      outputs: ["doc"],
      attributes: { "tool.kind": "bm25", started: true },
      status: { code: "OK" },
    });
  });

  it("is the bare call when tracing is off: no span, no hooks", () => {
    tracing.disable();
    const onStart = jest.fn();
    expect(openIntegrationSpan({ name: "off", spanType: SpanType.LLM })).toBeUndefined();
    expect(traceCall({ name: "off", spanType: SpanType.LLM }, () => 42, { onStart })).toBe(42);
    expect(onStart).not.toHaveBeenCalled();
    expect(activeSpan()).toBeUndefined();
  });

  it("passes the caller's error through unchanged and records it on an ended span", async () => {
    const boom = new RangeError("rate limited");
    await expect(traceCall({ name: "llm", spanType: SpanType.LLM }, () => Promise.reject(boom))).rejects.toBe(boom);
    const [span] = getLastActiveTrace()!.data.spans;
    expect(span!.status).toEqual({ code: "ERROR", description: "RangeError: rate limited" });
    expect(span!.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("adds shared snapshotted attributes and per-call extras without copying the shared ones", () => {
    const shared = snapshot({ "component.type": "Retriever", "component.init": { topK: 3 } }) as Record<string, never>;
    for (const visits of [1, 2])
      traceCall({ name: "retriever", spanType: SpanType.RETRIEVER, snapshotAttributes: { shared, extra: { visits } } }, () => undefined);
    expect(getLastActiveTrace()!.data.spans[0]!.attributes).toMatchObject({ "component.type": "Retriever", "component.init": { topK: 3 }, visits: 2 });
  });

  it("ends a span whose work outlives the call when its promise settles, or with an error", async () => {
    const span = openIntegrationSpan({ name: "stream", spanType: SpanType.CHAT_MODEL })!;
    let finish: (value: string) => void = () => undefined;
    const done = endWhenSettled(span, new Promise<string>((resolve) => (finish = resolve)), recordOutputs);
    expect(span.ended).toBe(false);
    finish("all chunks");
    await expect(done).resolves.toBe("all chunks");
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "stream", outputs: "all chunks", status: { code: "OK" } });

    const failed = openIntegrationSpan({ name: "stream", spanType: SpanType.CHAT_MODEL })!;
    endWithError(failed, new Error("socket hang up"));
    expect(getLastActiveTrace()!.data.spans[0]!.status).toEqual({ code: "ERROR", description: "Error: socket hang up" });
  });

  it("runs a call with a span active and leaves the span open for the integration to end", () => {
    const span = openIntegrationSpan({ name: "request", spanType: SpanType.CHAT_MODEL })!;
    const result = runWithActiveSpan(span, () => {
      startSpan({ name: "inner" }, () => undefined);
      return activeSpan();
    });
    expect(result).toBe(span);
    expect(span.ended).toBe(false);
    expect(activeSpan()).toBeUndefined();
    span.end();
    const [outer, inner] = getLastActiveTrace()!.data.spans;
    expect(outer).toMatchObject({ name: "request", status: { code: "OK" } });
    expect(inner).toMatchObject({ name: "inner", parentId: outer!.spanId });
  });

  it("records inputs composed from parts snapshotted once, as a whole snapshot would", () => {
    const message = { role: "user", content: "hi" };
    const part = snapshotPart(message);
    traceCall({ name: "chat", spanType: SpanType.CHAT_MODEL }, () => undefined, {
      onStart: (span) => setSnapshotInputs(span, composeSnapshot({ messages: [part, part] })!),
    });
    expect(getLastActiveTrace()!.data.spans[0]!.inputs).toEqual({ messages: [message, message] });
  });
});
