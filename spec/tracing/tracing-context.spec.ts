import * as mlflow from "../../lib/index";
import type { Trace } from "../../lib/index";
import { component, Pipeline } from "../../lib/haystack/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { traceRecordRootAttributes } from "../../lib/export/mlflow/otlp-trace-record";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";

const { tracingContext, startSpan, traced, updateCurrentTrace } = mlflow;

@component({ inputs: ["text"], outputs: ["text"] })
class Upper {
  run({ text }: { text: string }) {
    return { text: text.toUpperCase() };
  }
}

function collect(): { traces: Trace[]; stop: () => void } {
  const traces: Trace[] = [];
  return { traces, stop: addTraceSink({ onTraceCompleted: (t) => traces.push(t) }) };
}

function captureDiagnostics(): { messages: string[]; stop: () => void } {
  const messages: string[] = [];
  resetDiagnosticsCounts();
  mlflow.setDiagnosticsLogger((level, message) => messages.push(`${level}: ${message}`));
  return { messages, stop: () => mlflow.setDiagnosticsLogger(undefined) };
}

describe("tracingContext", () => {
  afterEach(() => mlflow.haystack.autolog({ disable: true }));

  it("stamps session, user, metadata and tags on every trace started inside, autologged pipelines included", async () => {
    mlflow.haystack.autolog({ silent: true });
    const pipe = new Pipeline();
    pipe.addComponent("upper", new Upper());
    const { traces, stop } = collect();
    try {
      await tracingContext({ session: "conv-1", user: "alice", metadata: { tenant: "acme" }, tags: { app: "bot", n: 3 } }, async () => {
        startSpan({ name: "manual" }, () => 1);
        await traced(async function helper() {
          return 2;
        })();
        await pipe.run({ upper: { text: "hi" } });
      });
      startSpan({ name: "outside" }, () => 1);
    } finally {
      stop();
    }
    expect(traces).toHaveLength(4);
    expect([traces[0], traces[1], traces[3]].map((t) => t?.data.spans[0]?.name)).toEqual(["manual", "helper", "outside"]);
    for (const trace of traces.slice(0, 3)) {
      expect(trace.info.metadata).toMatchObject({ "mlflow.trace.session": "conv-1", "mlflow.trace.user": "alice", tenant: "acme" });
      expect(trace.info.tags).toMatchObject({ app: "bot", n: "3" });
      expect(traceRecordRootAttributes(trace)).toMatchObject({ "session.id": "conv-1", "user.id": "alice" });
    }
    expect(traces[2]?.data.spans.map((s) => s.name)).toContain("upper");
    expect(traces[3]?.info.metadata["mlflow.trace.session"]).toBeUndefined();
    expect(traces[3]?.info.tags["app"]).toBeUndefined();
  });

  it("merges nested scopes, the inner value winning, and restores the outer scope after the inner one", () => {
    const { traces, stop } = collect();
    try {
      tracingContext({ session: "s-outer", metadata: { foo: "bar", baz: "qux" }, tags: { a: "1" } }, () => {
        tracingContext({ user: "bob", metadata: { foo: "baz", qux: "quux" }, tags: { a: "2", b: "3" } }, () => startSpan({ name: "inner" }, () => 1));
        startSpan({ name: "outer" }, () => 1);
      });
    } finally {
      stop();
    }
    const [inner, outer] = traces;
    expect(inner?.info.metadata).toMatchObject({ foo: "baz", baz: "qux", qux: "quux", "mlflow.trace.session": "s-outer", "mlflow.trace.user": "bob" });
    expect(inner?.info.tags).toMatchObject({ a: "2", b: "3" });
    expect(outer?.info.metadata).toMatchObject({ foo: "bar", baz: "qux", "mlflow.trace.session": "s-outer" });
    expect(outer?.info.metadata["mlflow.trace.user"]).toBeUndefined();
    expect(outer?.info.tags).toMatchObject({ a: "1" });
  });

  it("applies to traces started inside, not to spans joining a trace started outside (as Python's mlflow.tracing.context)", () => {
    const { traces, stop } = collect();
    try {
      startSpan({ name: "root" }, () => tracingContext({ session: "late" }, () => startSpan({ name: "child" }, () => 1)));
    } finally {
      stop();
    }
    expect(traces).toHaveLength(1);
    expect(traces[0]?.data.spans.map((s) => s.name)).toEqual(["root", "child"]);
    expect(traces[0]?.info.metadata["mlflow.trace.session"]).toBeUndefined();
  });

  it("keeps concurrent scopes apart across awaits", async () => {
    const { traces, stop } = collect();
    // Each turn awaits a gate; the gates open in another order than the turns began.
    const gates = new Map<string, () => void>();
    const turn = (session: string) =>
      tracingContext({ session }, () => startSpan({ name: session }, () => new Promise<void>((resolve) => gates.set(session, resolve))));
    try {
      const turns = [turn("a"), turn("b"), turn("c")];
      for (const session of ["b", "c", "a"]) gates.get(session)!();
      await Promise.all(turns);
    } finally {
      stop();
    }
    expect(Object.fromEntries(traces.map((t) => [t.data.spans[0]?.name, t.info.metadata["mlflow.trace.session"]]))).toEqual({ a: "a", b: "b", c: "c" });
  });

  it("enabled: false turns tracing off inside fn only (autolog included); a nested enabled: true turns it back on", async () => {
    mlflow.haystack.autolog({ silent: true });
    const pipe = new Pipeline();
    pipe.addComponent("upper", new Upper());
    const { traces, stop } = collect();
    try {
      const out = await tracingContext({ enabled: false }, async () => {
        const inner = startSpan({ name: "off" }, (span) => {
          span.setOutputs("ignored");
          return startSpan({ name: "off-child" }, () => 7);
        });
        await pipe.run({ upper: { text: "x" } });
        tracingContext({ enabled: true }, () => startSpan({ name: "back-on" }, () => 1));
        return inner;
      });
      expect(out).toBe(7);
      expect(mlflow.tracing.isEnabled()).toBe(true);
      startSpan({ name: "after" }, () => 1);
    } finally {
      stop();
    }
    expect(traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([["back-on"], ["after"]]);
  });

  it("returns fn's value and its promise unchanged, and rethrows fn's exception as the same object", async () => {
    const value = { v: 1 };
    expect(tracingContext({ session: "s" }, () => value)).toBe(value);
    const promise = Promise.resolve(value);
    const returned = tracingContext({ session: "s" }, () => promise);
    expect(returned).toBe(promise);
    const error = new TypeError("boom");
    expect(() =>
      tracingContext({ session: "s" }, () => {
        throw error;
      }),
    ).toThrow(error);
    await expect(
      tracingContext({ session: "s" }, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it("reports a session or user id over 250 characters, naming the limit and the fix, and leaves it out", () => {
    const diag = captureDiagnostics();
    const { traces, stop } = collect();
    try {
      tracingContext({ session: "s".repeat(251), user: "ok-user" }, () => startSpan({ name: "t" }, () => 1));
    } finally {
      stop();
      diag.stop();
    }
    expect(traces[0]?.info.metadata["mlflow.trace.session"]).toBeUndefined();
    expect(traces[0]?.info.metadata["mlflow.trace.user"]).toBe("ok-user");
    expect(diag.messages).toEqual([
      "error: tracingContext() expected `session` to be a non-empty string of at most 250 characters (MLflow's limit for trace metadata), got a string of 251 characters; the session id was not recorded. Pass a shorter id, e.g. a hash of it",
    ]);
  });

  it("tells the fix that fits an empty user id: pass the id, or leave the option out", () => {
    const diag = captureDiagnostics();
    try {
      tracingContext({ user: "" }, () => startSpan({ name: "t" }, () => 1));
    } finally {
      diag.stop();
    }
    expect(diag.messages).toEqual([
      expect.stringMatching(/got "" \(an empty string\); the user id was not recorded\. Pass the user's id as a string, or leave `user` out$/),
    ]);
  });

  it("still runs fn when given options it cannot use", () => {
    const diag = captureDiagnostics();
    try {
      expect(tracingContext(null as never, () => 5)).toBe(5);
      expect(tracingContext({ tags: "x" as never, enabled: "no" as never }, () => 6)).toBe(6);
    } finally {
      diag.stop();
    }
    expect(diag.messages.join("\n")).toMatch(/`tags` to be an object of string values/);
    expect(diag.messages.join("\n")).toMatch(/`enabled` to be true or false/);
  });
});

describe("updateCurrentTrace({ session, user })", () => {
  it("writes mlflow.trace.session / mlflow.trace.user, carried as session.id / user.id on the root span over OTLP", () => {
    const { traces, stop } = collect();
    try {
      startSpan({ name: "root" }, () => startSpan({ name: "child" }, () => updateCurrentTrace({ session: "conv-9", user: "u-1" })));
    } finally {
      stop();
    }
    const trace = traces[0] as Trace;
    expect(trace.info.metadata).toMatchObject({ "mlflow.trace.session": "conv-9", "mlflow.trace.user": "u-1" });
    expect(traceRecordRootAttributes(trace)).toMatchObject({ "session.id": "conv-9", "user.id": "u-1" });
  });

  it("overrides the tracingContext values, and refuses ids over 250 characters with a clear error", () => {
    const diag = captureDiagnostics();
    const { traces, stop } = collect();
    try {
      tracingContext({ session: "ctx", user: "ctx-user" }, () =>
        startSpan({ name: "root" }, () => updateCurrentTrace({ session: "explicit", user: "u".repeat(300) })),
      );
    } finally {
      stop();
      diag.stop();
    }
    expect(traces[0]?.info.metadata).toMatchObject({ "mlflow.trace.session": "explicit", "mlflow.trace.user": "ctx-user" });
    expect(diag.messages).toEqual([expect.stringContaining("updateCurrentTrace() expected `user` to be a non-empty string of at most 250 characters")]);
  });
});
