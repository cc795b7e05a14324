/**
 * The seed's token-usage example: run the RAG pipeline inside a span of your own, then read the
 * finished trace synchronously with getLastActiveTrace() — its id and token usage.
 * Run: npx ts-node samples/start-span.ts
 */
import * as mlflow from "../lib/index";
import { chooseLanguageModel } from "./support/language-model";
import { buildRagPipeline } from "./support/rag-pipeline";

async function main(): Promise<void> {
  mlflow.haystack.autolog();
  const model = await chooseLanguageModel();
  try {
    console.log(`Answers come from ${model.description}.`);
    const pipe = buildRagPipeline(model);
    const question = "Who lives in Paris?";

    const result = await mlflow.startSpan({ name: "haystack_pipeline_run", spanType: mlflow.SpanType.CHAIN, inputs: { question } }, async (span) => {
      const output = await pipe.run({ retriever: { query: question }, prompt_builder: { question } });
      span.setOutputs(output);
      return output;
    });

    const trace = mlflow.getLastActiveTrace();
    const replies = (result["llm"] as { replies: string[] }).replies;
    console.log(`Answer: ${replies[0]}`);
    console.log(`Trace id: ${trace?.info.requestId}`);
    console.log(`Spans: ${trace?.data.spans.map((s) => `${s.name} (${s.spanType})`).join(", ")}`);
    console.log(`Token usage: ${JSON.stringify(trace?.info.tokenUsage)}`);
    console.log(`Cost: ${trace?.info.cost === undefined ? "none (the model has no price)" : `$${trace.info.cost.totalCost}`}`);
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
