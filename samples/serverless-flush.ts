/**
 * Serverless: a handler must flush before it returns, because the platform may freeze the process
 * as soon as the response is sent. flushTraces() resolves when every trace completed before it has
 * been delivered (or has failed for good) and says how many.
 * Run: npx ts-node samples/serverless-flush.ts
 */
import * as mlflow from "../lib/index";
import { component, Pipeline } from "../lib/haystack/index";

@component({ inputs: { text: "str" }, outputs: { upper: "str" } })
class Shout {
  run({ text }: { text: string }) {
    return { upper: text.toUpperCase() };
  }
}

mlflow.haystack.autolog();
const pipe = new Pipeline({ metadata: { name: "shout_handler" } });
pipe.addComponent("shout", new Shout());

/** A Lambda-style handler. */
export async function handler(event: { text: string }): Promise<{ statusCode: number; body: string }> {
  const result = await pipe.run({ shout: { text: event.text } });
  const flushed = await mlflow.flushTraces({ timeoutMs: 5_000 });
  console.log(`flushed before returning: ${flushed.exported} exported, ${flushed.failed} failed, ${flushed.pending} pending`);
  return { statusCode: 200, body: JSON.stringify(result) };
}

async function main(): Promise<void> {
  for (const text of ["hello", "serverless"]) {
    const response = await handler({ text });
    console.log(`response: ${response.body}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
