import { spawnSync } from "node:child_process";
import * as mlflow from "../../lib/index";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { ROOT, built } from "../support/built-sdk";

const { startSpan, configureTracing } = mlflow;

afterEach(() => configureTracing({ traceTimeoutSeconds: 0 }));

describe("trace timeout (MLFLOW_TRACE_TIMEOUT_SECONDS)", () => {
  it("exports a trace whose root never ends as ERROR, with its open spans ended and marked, and ignores their late end()", async () => {
    configureTracing({ traceTimeoutSeconds: 0.05, spanProcessors: [] });
    mlflow.setDiagnosticsLogger(() => undefined);
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const exported = new Promise<Trace>((resolve) => {
      const stop = addTraceSink({
        onTraceCompleted: (t) => {
          stop();
          resolve(t);
        },
      });
    });
    const done = startSpan({ name: "request" }, async () => {
      startSpan({ name: "retrieve" }, () => 1);
      await startSpan({ name: "llm" }, () => hung);
      return "late";
    });
    try {
      const trace = await exported;
      expect(trace.info.state).toBe("ERROR");
      const byName = Object.fromEntries(trace.data.spans.map((s) => [s.name, s]));
      expect(byName["retrieve"]?.status.code).toBe("OK");
      expect(byName["retrieve"]?.attributes["mlflow_haystack.timed_out"]).toBeUndefined();
      expect(byName["llm"]?.status).toEqual({
        code: "ERROR",
        description: "Timed out: the trace did not finish within 0.05 seconds (MLFLOW_TRACE_TIMEOUT_SECONDS)",
      });
      expect(byName["llm"]?.attributes["mlflow_haystack.timed_out"]).toBe(true);
      const root = byName["request"];
      expect(root?.status.description).toMatch(/^MlflowTracingException: Trace tr-[0-9a-f]{32} is timed out after 0.05 seconds/);
      expect(root?.events[0]?.attributes["exception.type"]).toBe("MlflowTracingException");
      // The hung work finishes later: its spans' end() and any span it starts change nothing.
      const seenAfter: Trace[] = [];
      const stop = addTraceSink({ onTraceCompleted: (t) => seenAfter.push(t) });
      release();
      await expect(done).resolves.toBe("late");
      startSpan({ name: "unrelated" }, () => 1);
      stop();
      expect(seenAfter.map((t) => t.data.spans[0]?.name)).toEqual(["unrelated"]);
    } finally {
      release();
      mlflow.setDiagnosticsLogger(undefined);
    }
  });

  it("leaves a trace still within its timeout alone while the sweep expires another", async () => {
    mlflow.setDiagnosticsLogger(() => undefined);
    const completed: Trace[] = [];
    let hungExpired: () => void = () => undefined;
    const expired = new Promise<void>((resolve) => (hungExpired = resolve));
    const stop = addTraceSink({
      onTraceCompleted: (t) => {
        completed.push(t);
        if (t.data.spans[0]?.name === "hung") hungExpired();
      },
    });
    let releaseHung: () => void = () => undefined;
    let releaseWithin: () => void = () => undefined;
    try {
      configureTracing({ traceTimeoutSeconds: 0.05 });
      void startSpan({ name: "hung" }, () => new Promise<void>((resolve) => (releaseHung = resolve)));
      configureTracing({ traceTimeoutSeconds: 60 });
      const within = startSpan({ name: "within" }, () => new Promise<string>((resolve) => (releaseWithin = () => resolve("done"))));
      // The sweep that ends "hung" has seen "within" open and inside its deadline.
      await expired;
      releaseWithin();
      await expect(within).resolves.toBe("done");
    } finally {
      releaseHung();
      releaseWithin();
      stop();
      mlflow.setDiagnosticsLogger(undefined);
    }
    const byName = new Map(completed.map((t) => [t.data.spans[0]?.name, t]));
    expect(byName.get("hung")?.info.state).toBe("ERROR");
    expect(byName.get("within")?.info.state).toBe("OK");
    expect(byName.get("within")?.data.spans[0]?.attributes["mlflow_haystack.timed_out"]).toBeUndefined();
  });
});

describe("trace timeout in a real process", () => {
  it("does not hold the process open while it watches a trace that never ends", () => {
    // A never-settling span under MLFLOW_TRACE_TIMEOUT_SECONDS=600: the process still exits on its own.
    const child = spawnSync(
      process.execPath,
      [
        "-e",
        `const mlflow = require(${JSON.stringify(built("index"))});
         mlflow.setTraceClient({ export: async () => ({ failures: [] }), shutdown: async () => {} });
         mlflow.startSpan({ name: "hung" }, () => new Promise(() => {}));
         process.on("exit", () => process.stdout.write("exited"));`,
      ],
      { cwd: ROOT, env: { ...process.env, MLFLOW_TRACE_TIMEOUT_SECONDS: "600", MLFLOW_TRACKING_URI: "" }, encoding: "utf8", timeout: 30_000 },
    );
    expect(child.error).toBeUndefined();
    expect(child.stdout).toBe("exited");
  });
});
