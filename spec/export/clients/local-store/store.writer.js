/**
 * Child process for the local-store specs: writes traces into a store, with the built SDK (plain
 * JavaScript, so it starts in milliseconds; the specs check `dist` is fresh before spawning it).
 * Usage: node store.writer.js <dir> <count|forever|exit-hook> <tag>
 * Prints "ready" once, then one line per written trace. `exit-hook` has a FallbackClient keep one
 * trace from inside `process.on("exit")`, as the batch processor has it do at exit.
 */
"use strict";
const { join } = require("node:path");
const dist = join(__dirname, "..", "..", "..", "..", "dist", "cjs");
const mlflow = require(join(dist, "index.js"));
const { LocalStore } = require(join(dist, "export", "clients", "local-store", "store.js"));
const { FallbackClient } = require(join(dist, "export", "clients", "fallback-client.js"));

// Traces are made with the public API; this process's own exporter must not write them anywhere.
mlflow.setTraceClient({ export: async () => ({ failures: [] }), shutdown: async () => undefined });

function makeTrace(name) {
  mlflow.startSpan({ name, spanType: "CHAIN" }, () => "done");
  return mlflow.getLastActiveTrace();
}

async function main() {
  const [dir, countArg, tag] = process.argv.slice(2);
  if (dir === undefined || countArg === undefined) throw new Error("usage: writer <dir> <count|forever> <tag>");
  const store = new LocalStore({ dir, maxTraces: 100_000 });
  if (countArg === "exit-hook") {
    const primary = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
    const client = new FallbackClient(primary, store, { destination: { trackingUri: "http://127.0.0.1:9" } });
    const trace = makeTrace(tag ?? "at-exit");
    process.on("exit", () => client.keepUndelivered([trace], new Error("the process exited before 1 trace(s) were exported")));
    process.stdout.write(`${trace.info.traceId}\n`);
    return;
  }
  const count = countArg === "forever" ? Number.POSITIVE_INFINITY : Number(countArg);
  process.stdout.write("ready\n");
  for (let i = 0; i < count; i++) {
    const trace = makeTrace(`${tag ?? "w"}-${i}`);
    const { failures } = await store.export([trace]);
    if (failures.length > 0) throw failures[0].error;
    process.stdout.write(`${trace.info.traceId}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
