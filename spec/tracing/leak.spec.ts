// Finished spans, traces and context frames must be collectable once the completed-trace buffer
// lets go of them. Runs in a child process with --expose-gc for a deterministic collection.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, built } from "../support/built-sdk";

function runWithGc(script: string): string {
  const child = spawnSync(process.execPath, ["--expose-gc", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, MLFLOW_TRACKING_URI: "", MLFLOW_HAYSTACK_LOCAL_DIR: join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] ?? "", "leak") },
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return child.stdout.trim();
}

describe("memory", () => {
  it("lets finished spans, traces and context frames be collected once evicted from the buffer", () => {
    const out = runWithGc(`
      const mlflow = require(${JSON.stringify(built("index"))});
      mlflow.setTraceClient({ export: async () => ({ failures: [] }), shutdown: async () => {} });
      mlflow.configureTracing({ completedTraceCapacity: 1 });
      const refs = [];
      (async () => {
        for (let i = 0; i < 50; i++) {
          await mlflow.startSpan({ name: "root", inputs: { payload: "x".repeat(10000) } }, async (root) => {
            refs.push(new WeakRef(root));
            await mlflow.startSpan({ name: "child" }, async (child) => { refs.push(new WeakRef(child)); });
          });
          refs.push(new WeakRef(mlflow.getLastActiveTrace()));
        }
        await mlflow.flushTraces();
        await new Promise((r) => setTimeout(r, 10));
        global.gc();
        await new Promise((r) => setImmediate(r));
        global.gc();
        console.log(JSON.stringify({ alive: refs.filter((r) => r.deref() !== undefined).length, total: refs.length }));
      })();
    `);
    const { alive, total } = JSON.parse(out) as { alive: number; total: number };
    expect(total).toBe(150);
    // The newest trace (root, child, trace) is still the last active trace; everything else is gone.
    expect(alive).toBeLessThanOrEqual(3);
  });
});
