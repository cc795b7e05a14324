/**
 * What a script whose server is down prints when it ends: one line at exit with the real count,
 * the cause and the command that recovers the traces — in a real child process, since only a
 * real `exit` shows it.
 */
import { execFile } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { join, resolve } from "node:path";
import { pendingIndex } from "../../lib/export/clients/local-store/destinations";
import { LocalStoreReader } from "../../lib/export/clients/local-store/reader";

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
    execFile(
      process.execPath,
      ["-r", require.resolve("ts-node/register/transpile-only"), "-e", script],
      { cwd: root, env, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => ok({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
    ),
  );
}

/** The environment of a script whose tracking server is `http://127.0.0.1:<port>` and local store `dir`. */
function againstPort(port: number, dir: string): NodeJS.ProcessEnv {
  return { ...process.env, MLFLOW_HAYSTACK_LOCAL_DIR: dir, MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, MLFLOW_HAYSTACK_DEBUG: "" };
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
    const out = await run(script, againstPort(port, dir));
    expect(out.code).toBe(0);
    const lines = out.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`at exit: 40 trace(s) did not reach http://127.0.0.1:${port} (`);
    expect(lines[0]).toContain("ECONNREFUSED");
    expect(lines[0]).toContain(`are kept in ${dir}: send them with \`npx mlflow-haystack traces sync\` (run with the same MLFLOW_TRACKING_URI)`);
    expect(out.stderr).not.toContain("process.exit()");
    const pending = await pendingIndex(dir);
    expect(pending.size).toBe(40);
  }, 60_000);

  it("says at exit how many traces an OTLP collector (the only destination) never took are kept in the local store, and how to send them", async () => {
    const port = await closedPort();
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "exit-report-otlp");
    const script = `
      const mlflow = require(${JSON.stringify(join(root, "lib/index.ts"))});
      mlflow.configureExport({ exitFlushTimeoutMs: 300, initialBackoffMs: 20, maxBackoffMs: 50 }).then(() => {
        for (let i = 0; i < 4; i++) mlflow.startSpan({ name: "t" + i }, () => i);
      });`;
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_HAYSTACK_LOCAL_DIR: dir, MLFLOW_HAYSTACK_DEBUG: "" };
    delete env["MLFLOW_TRACKING_URI"];
    env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = `http://127.0.0.1:${port}/v1/traces`;
    const out = await run(script, env);
    expect(out.code).toBe(0);
    const lines = out.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    // The cause in the parentheses is the refused connection, or (on a loaded machine, before the first
    // attempt failed) that the process exited first.
    expect(lines[0]).toContain(`at exit: 4 trace(s) did not reach the OTLP collector at http://127.0.0.1:${port}/v1/traces (`);
    expect(lines[0]).toContain(`are kept in ${dir}: \`npx mlflow-haystack traces list\` shows them`);
    expect(lines[0]).toContain("traces sync cannot send to an OTLP collector");
    expect(await new LocalStoreReader(dir).count()).toBe(4);
  }, 60_000);

  it("flushTraces() against a server that is not running returns at once with the traces pending, and the exit keeps them", async () => {
    const port = await closedPort();
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "flush-refused");
    const script = `
      const mlflow = require(${JSON.stringify(join(root, "lib/index.ts"))});
      for (let i = 0; i < 3; i++) mlflow.startSpan({ name: "t" + i }, () => i);
      mlflow.flushTraces().then((r) => process.stdout.write(JSON.stringify(r)));`;
    const out = await run(script, againstPort(port, dir));
    expect(out.code).toBe(0);
    // Before: { pending: 3 } after the whole 30 s, then 10 s more at exit.
    expect(JSON.parse(out.stdout)).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 3 });
    expect(out.stderr).not.toContain("flushTraces() is waiting");
    expect(out.stderr).toContain(`at exit: 3 trace(s) did not reach http://127.0.0.1:${port} (`);
    expect((await pendingIndex(dir)).size).toBe(3);
  }, 60_000);

  it("names the --to command when the server came from setTrackingUri, which `traces sync` alone does not read", async () => {
    const port = await closedPort();
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "exit-report-set-uri");
    const script = `
      const mlflow = require(${JSON.stringify(join(root, "lib/index.ts"))});
      mlflow.setTrackingUri("http://127.0.0.1:${port}");
      mlflow.configureExport({ exitFlushTimeoutMs: 300, initialBackoffMs: 20, maxBackoffMs: 50 }).then(() => mlflow.startSpan({ name: "t" }, () => 1));`;
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_HAYSTACK_LOCAL_DIR: dir, MLFLOW_TRACKING_URI: "", MLFLOW_HAYSTACK_DEBUG: "" };
    const out = await run(script, env);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`send them with \`npx mlflow-haystack traces sync --to http://127.0.0.1:${port}\``);
  }, 60_000);

  it("lets a script end within exitFlushTimeoutMs of its last trace against a server that accepts and never answers", async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("data", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as { port: number };
    const dir = join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]!, "exit-hang");
    // MLFLOW_HTTP_REQUEST_TIMEOUT far above the exit deadline: the deadline itself must end the wait.
    // A full batch (maxBatchSize 5) is sent at once, so its request is in flight when the script ends.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MLFLOW_HAYSTACK_LOCAL_DIR: dir,
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
      MLFLOW_HTTP_REQUEST_TIMEOUT: "120",
      MLFLOW_HAYSTACK_DEBUG: "",
    };
    try {
      const baseline = await run(`require(${JSON.stringify(join(root, "lib/index.ts"))});`, env);
      const script = `
        const mlflow = require(${JSON.stringify(join(root, "lib/index.ts"))});
        mlflow.configureExport({ exitFlushTimeoutMs: 1000, maxBatchSize: 5 }).then(() => {
          for (let i = 0; i < 5; i++) mlflow.startSpan({ name: "t" + i }, () => i);
          process.stdout.write(String(Date.now()));
        });`;
      const out = await run(script, env);
      const ended = Date.now();
      expect(out.code).toBe(0);
      expect(baseline.code).toBe(0);
      // From the last trace to the end of the process: the 1 s deadline plus exit work, nowhere near 120 s or 30 s.
      expect(ended - Number(out.stdout)).toBeLessThan(1000 + 4000);
      expect(out.stderr).toContain("at exit: 5 trace(s) did not reach");
      expect((await pendingIndex(dir)).size).toBe(5);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  }, 120_000);
});
