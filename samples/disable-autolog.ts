/**
 * The seed's "disable autolog" example: after mlflow.haystack.autolog({ disable: true }) a
 * pipeline run creates no trace.
 * Run: npx ts-node samples/disable-autolog.ts
 */
import * as mlflow from "../lib/index";
import { component, Pipeline } from "../lib/haystack/index";

@component({ inputs: ["a", "b"], outputs: ["sum"] })
class Add {
  run({ a, b }: { a: number; b: number }) {
    return { sum: a + b };
  }
}

async function main(): Promise<void> {
  const pipe = new Pipeline();
  pipe.addComponent("adder", new Add());

  mlflow.haystack.autolog();
  await pipe.run({ adder: { a: 1, b: 2 } });
  const traced = mlflow.getLastActiveTraceId();
  console.log(
    `With autolog: trace ${traced} with spans ${mlflow
      .getLastActiveTrace()
      ?.data.spans.map((s) => s.name)
      .join(", ")}`,
  );

  mlflow.haystack.autolog({ disable: true });
  const result = await pipe.run({ adder: { a: 2, b: 3 } });
  const after = mlflow.getLastActiveTraceId();
  console.log(`Autolog disabled: result ${JSON.stringify(result)}, new trace: ${after === traced ? "none" : after}`);
  await mlflow.flushTraces();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
