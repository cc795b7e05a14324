import { spawnSync } from "node:child_process";
import { ROOT, built } from "../support/built-sdk";

/** Runs a traced call in a fresh process with `env`; returns what the span recorded and stderr. */
function traceWith(env: Record<string, string>): { inputs: unknown; spans: number; stderr: string } {
  const sdk = JSON.stringify(built("index"));
  const exportEntry = JSON.stringify(built("export/index"));
  const script = `
    const mlflow = require(${sdk});
    const { MemoryClient } = require(${exportEntry});
    mlflow.setTraceClient(new MemoryClient());
    mlflow.startSpan({ name: "s", inputs: { card: "4111" } }, () => 1);
    const trace = mlflow.getLastActiveTrace();
    process.stdout.write(JSON.stringify({ inputs: trace?.data.spans[0]?.inputs ?? null, spans: trace?.data.spans.length ?? 0 }));`;
  const child = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: "", ...env } });
  if (child.status !== 0) throw new Error(child.stderr);
  return { ...(JSON.parse(child.stdout) as { inputs: unknown; spans: number }), stderr: child.stderr };
}

describe("boolean environment switches", () => {
  it.each(["false", "0", "no", "off", " OFF "])("MLFLOW_HAYSTACK_CONTENT_TRACING=%j keeps inputs out", (value) => {
    expect(traceWith({ MLFLOW_HAYSTACK_CONTENT_TRACING: value })).toMatchObject({ inputs: null, spans: 1, stderr: "" });
  });

  it("keeps content out, with one warning, when MLFLOW_HAYSTACK_CONTENT_TRACING cannot be read", () => {
    const run = traceWith({ MLFLOW_HAYSTACK_CONTENT_TRACING: "nope" });
    expect(run.inputs).toBeNull();
    expect(run.stderr).toContain('MLFLOW_HAYSTACK_CONTENT_TRACING must be true/false, 1/0, yes/no or on/off, got "nope"; content tracing is off');
  });

  it.each(["false", "0", "no", "off"])("MLFLOW_TRACING_ENABLED=%j turns tracing off", (value) => {
    expect(traceWith({ MLFLOW_TRACING_ENABLED: value }).spans).toBe(0);
  });

  it("keeps tracing on, with one warning, when MLFLOW_TRACING_ENABLED cannot be read", () => {
    const run = traceWith({ MLFLOW_TRACING_ENABLED: "maybe" });
    expect(run).toMatchObject({ inputs: { card: "4111" }, spans: 1 });
    expect(run.stderr).toContain('MLFLOW_TRACING_ENABLED must be true/false, 1/0, yes/no or on/off, got "maybe"; tracing stays on');
  });
});
