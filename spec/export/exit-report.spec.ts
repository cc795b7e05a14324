/**
 * What a script whose server is down prints when it ends: one line at exit with the real count,
 * the cause and the command that recovers the traces — in a real child process, since only a
 * real `exit` shows it.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { LocalStore } from "../../lib/index";

const root = resolve(__dirname, "../..");

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) =>
    execFile(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), "-e", script], { cwd: root, env, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) =>
      ok({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
    ),
  );
}

describe("the exit-time report", () => {
  it("is one line with the count of traces kept, the cause and `traces sync`, for a script that never calls process.exit()", async () => {
    const port = await closedPort();
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "exit-report");
    const script = `
      const mlflow = require(${JSON.stringify(join(root, "lib/index.ts"))});
      mlflow.configureExport({ exitFlushTimeoutMs: 300, initialBackoffMs: 20, maxBackoffMs: 50 }).then(() => {
        for (let i = 0; i < 40; i++) mlflow.startSpan({ name: "t" + i }, () => i);
      });`;
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_HAYSTACK_LOCAL_DIR: dir, MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, MLFLOW_HAYSTACK_DEBUG: "" };
    const out = await run(script, env);
    expect(out.code).toBe(0);
    const lines = out.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`at exit: 40 trace(s) did not reach http://127.0.0.1:${port} (`);
    expect(lines[0]).toContain("ECONNREFUSED");
    expect(lines[0]).toContain(`are kept in ${dir}: send them with \`npx mlflow-haystack traces sync\``);
    expect(out.stderr).not.toContain("process.exit()");
    const pending = await new LocalStore({ dir }).pendingIndex();
    expect(pending.size).toBe(40);
  }, 60_000);
});
