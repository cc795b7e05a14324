import { spawnSync } from "node:child_process";
import { ROOT, built } from "../support/built-sdk";

/** stderr of a fresh process that logs one debug line and the same warning twice. */
function stderrWith(debug: string): string {
  const module = JSON.stringify(built("internal/diagnostics"));
  const script = `const d = require(${module}); d.diag("debug", "a debug line"); d.reportOnce("k", "warn", "a warning"); d.reportOnce("k", "warn", "a warning");`;
  const child = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: debug },
    encoding: "utf8",
  });
  return child.stderr;
}

describe("diagnostics", () => {
  it("keeps debug lines silent by default but tells users a warning once on stderr", () => {
    expect(stderrWith("")).toBe("[mlflow-haystack] warn: a warning\n");
  });

  it("writes debug lines to stderr with MLFLOW_HAYSTACK_DEBUG=1", () => {
    expect(stderrWith("1")).toBe("[mlflow-haystack] debug: a debug line\n[mlflow-haystack] warn: a warning\n");
  });

  it("lets an async logger that rejects fail alone, without an unhandled rejection ending the process", () => {
    const script = `
      const mlflow = require(${JSON.stringify(built("index"))});
      mlflow.setDiagnosticsLogger(async () => { throw new Error("log service down"); });
      console.log(mlflow.startSpan(null, () => "returned"));`;
    const child = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: "" }, encoding: "utf8" });
    expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: "returned\n", stderr: "" });
  });
});
