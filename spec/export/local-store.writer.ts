/**
 * Child process for the local-store specs: writes synthetic traces into a store.
 * Usage: node -r ts-node/register/transpile-only local-store.writer.ts <dir> <count|forever|exit-hook> <tag>
 * Prints "ready" once, then one line per written trace. `exit-hook` hands one trace to the
 * delivery-failed hook from inside `process.on("exit")`, as the batch processor does at exit.
 */
import { LocalStore } from "../../lib/export/local-store";
import { makeTrace } from "./local-store.fixtures";

async function main(): Promise<void> {
  const [dir, countArg, tag] = process.argv.slice(2);
  if (dir === undefined || countArg === undefined) throw new Error("usage: writer <dir> <count|forever> <tag>");
  const store = new LocalStore({ dir, maxTraces: 100_000 });
  if (countArg === "exit-hook") {
    const hook = store.deliveryFailedHook({ trackingUri: "http://127.0.0.1:9" });
    const trace = makeTrace({ name: tag ?? "at-exit" });
    process.on("exit", () => hook([trace], new Error("the process exited before 1 trace(s) were exported")));
    process.stdout.write(`${trace.info.traceId}\n`);
    return;
  }
  const count = countArg === "forever" ? Number.POSITIVE_INFINITY : Number(countArg);
  process.stdout.write("ready\n");
  for (let i = 0; i < count; i++) {
    const trace = makeTrace({ name: `${tag ?? "w"}-${i}`, requestTime: Date.now() - (i % 7) });
    const { failures } = await store.export([trace]);
    if (failures.length > 0) throw failures[0]?.error;
    process.stdout.write(`${trace.info.traceId}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
