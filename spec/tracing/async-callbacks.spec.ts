/**
 * User callbacks the SDK calls for their effect (span processors, a stream's `outputReducer`) may
 * be `async`. A promise they return that rejects must not become an unhandled rejection, which
 * ends a Node process by default: that needs a real process to show.
 */
import { spawnSync } from "node:child_process";
import { ROOT, built } from "../support/built-sdk";

function run(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `const mlflow = require(${JSON.stringify(built("index"))});\n${body}`;
  const child = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: "" }, encoding: "utf8" });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("async user callbacks that reject", () => {
  it("reports an async span processor's rejection once and keeps the process and the span", () => {
    const out = run(`
      mlflow.configureTracing({ spanProcessors: [async (span) => { span.setAttribute("seen", true); throw new Error("processor down"); }] });
      console.log(mlflow.startSpan({ name: "kept" }, () => "returned"));
      mlflow.startSpan({ name: "again" }, () => undefined);
      console.log(mlflow.getLastActiveTrace().data.spans[0].attributes.seen);`);
    expect(out).toEqual({
      status: 0,
      stdout: "returned\ntrue\n",
      stderr: "[mlflow-haystack] warn: span processor #0 returned a promise that rejected; span processors must be synchronous: processor down\n",
    });
  });

  it("records a stream's raw chunks when its outputReducer returns a promise, and its rejection ends nothing", () => {
    const out = run(`
      const stream = mlflow.traced(async function* numbers() { yield 1; yield 2; }, { outputReducer: async () => { throw new Error("reducer down"); } });
      (async () => {
        for await (const n of stream()) console.log(n);
        console.log(JSON.stringify(mlflow.getLastActiveTrace().data.spans[0].outputs));
      })();`);
    expect(out).toEqual({
      status: 0,
      stdout: "1\n2\n[1,2]\n",
      stderr: '[mlflow-haystack] warn: outputReducer of span "numbers" returned a promise, not the output; recording the raw chunks\n',
    });
  });
});
