/**
 * Exit behaviour needs a real process: the flush at `beforeExit`, the hand-off at `exit`, and
 * proof that the processor's unref'd timers never hold a process open.
 */
import { execFile } from "node:child_process";
import { ROOT as root, built } from "../../support/built-sdk";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `body` in a fresh Node process that has `BatchProcessor` in scope. */
function runScript(body: string): Promise<Run> {
  const script = `const { BatchProcessor } = require(${JSON.stringify(built("export/batch/processor"))});\n${body}`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["-e", script],
      { cwd: root, encoding: "utf8", timeout: 30_000, env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: "" } },
      (error, stdout, stderr) => {
        if (error !== null && error.killed) reject(new Error(`the child process hung and was killed\n${stderr}`));
        else resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

const report = `process.on("exit", () => process.stdout.write(JSON.stringify({ exported, failed, stats: p.getStats() })));`;

describe("BatchProcessor at process exit", () => {
  jest.setTimeout(60_000);

  it("exports queued traces at beforeExit through a slow client, then lets the process end promptly", async () => {
    const baseline = await runScript("");
    const run = await runScript(`
      const exported = [], failed = [];
      const client = {
        export: (traces) => new Promise((resolve) => setTimeout(() => {
          exported.push(...traces.map((t) => t.info.traceId));
          resolve({ failures: [] });
        }, 200)),
        shutdown: async () => {},
      };
      const p = new BatchProcessor(client, { maxBatchSize: 2, scheduledDelayMs: 60000 });
      for (let i = 0; i < 5; i++) p.enqueue({ info: { traceId: "t" + i } });
      ${report}
    `);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { exported: string[]; stats: { exported: number; queued: number } };
    expect(out.exported.sort()).toEqual(["t0", "t1", "t2", "t3", "t4"]);
    expect(out.stats).toMatchObject({ exported: 5, queued: 0, inFlight: 0 });
    // Three 200 ms batches, two at a time: far below the 60 s batch delay.
    expect(run.ms - baseline.ms).toBeLessThan(5_000);
  });

  it("exits immediately when nothing is queued, despite a long batch delay", async () => {
    const baseline = await runScript("");
    const run = await runScript(`
      const exported = [], failed = [];
      const p = new BatchProcessor({ export: async () => ({ failures: [] }), shutdown: async () => {} }, { scheduledDelayMs: 60000 });
      ${report}
    `);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ exported: [], stats: { queued: 0 } });
    expect(run.ms - baseline.ms).toBeLessThan(2_000);
  });

  it("does not hang on a dead client: the exit flush has a deadline and undelivered traces go to onDeliveryFailed", async () => {
    const run = await runScript(`
      const exported = [], failed = [];
      const dead = { export: () => new Promise(() => {}), shutdown: async () => {} };
      const p = new BatchProcessor(dead, {
        exportTimeoutMs: 100, exitFlushTimeoutMs: 500, initialBackoffMs: 50, maxBackoffMs: 50,
        onDeliveryFailed: (traces, error) => failed.push(...traces.map((t) => t.info.traceId + ": " + error.message)),
      });
      p.enqueue({ info: { traceId: "a" } });
      p.enqueue({ info: { traceId: "b" } });
      ${report}
    `);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { failed: string[]; stats: { failed: number; queued: number; inFlight: number } };
    expect(out.failed).toEqual(["a: the process exited before 2 trace(s) were exported", "b: the process exited before 2 trace(s) were exported"]);
    expect(out.stats).toMatchObject({ failed: 2, queued: 0, inFlight: 0 });
    // The hook's owner reports what it kept: the processor adds no line of its own.
    expect(run.stderr).toBe("");
    expect(run.ms).toBeLessThan(15_000);
  });

  it("hands traces to onDeliveryFailed when process.exit() comes while shutdown() still flushes them", async () => {
    const run = await runScript(`
      const exported = [], failed = [];
      let sent;
      const inFlight = new Promise((resolve) => (sent = resolve));
      const hung = { export: () => (sent(), new Promise(() => {})), shutdown: async () => {} };
      const p = new BatchProcessor(hung, {
        scheduledDelayMs: 0,
        onDeliveryFailed: (traces, error) => failed.push(...traces.map((t) => t.info.traceId + ": " + error.message)),
      });
      p.enqueue({ info: { traceId: "in-flight" } });
      void inFlight.then(() => {
        p.enqueue({ info: { traceId: "queued" } });
        void p.shutdown({ timeoutMs: 20000 });
        process.exit(0);
      });
      ${report}
    `);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { failed: string[]; stats: { failed: number; queued: number; inFlight: number } };
    expect(out.failed).toEqual(["in-flight: the process exited before 2 trace(s) were exported", "queued: the process exited before 2 trace(s) were exported"]);
    expect(out.stats).toMatchObject({ failed: 2, queued: 0, inFlight: 0 });
  });

  it("says how many traces are lost at exit when no onDeliveryFailed hook can keep them", async () => {
    const run = await runScript(`
      const exported = [], failed = [];
      const p = new BatchProcessor({ export: () => new Promise(() => {}), shutdown: async () => {} }, { exitFlushTimeoutMs: 200 });
      for (let i = 0; i < 3; i++) p.enqueue({ info: { traceId: "t" + i } });
      ${report}
    `);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split("\n")).toEqual([
      "[mlflow-haystack] warn: 3 trace(s) were not exported before the process exited and are lost (no onDeliveryFailed hook to keep them)",
    ]);
  });
});
