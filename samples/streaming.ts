/**
 * Streaming: OpenAIGenerator with a streamingCallback prints tokens as they arrive; the trace
 * still gets the whole reply and the token usage of the final chunk.
 * Run: npx ts-node samples/streaming.ts
 */
import * as mlflow from "../lib/index";
import { OpenAIGenerator, Pipeline } from "../lib/haystack/index";
import { chooseLanguageModel } from "./support/language-model";

async function main(): Promise<void> {
  mlflow.haystack.autolog();
  const model = await chooseLanguageModel();
  try {
    const chunks: string[] = [];
    const pipe = new Pipeline();
    pipe.addComponent("llm", new OpenAIGenerator({ ...model.generatorOptions, streamingCallback: (chunk) => void chunks.push(chunk.content) }));
    const result = await pipe.run({ llm: { prompt: "Documents:\n  Streaming keeps users engaged while the model answers.\nQuestion: why stream?" } });
    const reply = (result["llm"] as { replies: string[] }).replies[0];
    console.log(`Streamed ${chunks.length} chunks: ${chunks.join("")}`);
    console.log(`Final reply equals the streamed text: ${reply === chunks.join("")}`);
    const llm = mlflow.getLastActiveTrace()?.data.spans.find((s) => s.name === "llm");
    console.log(`Token usage on the llm span: ${JSON.stringify(llm?.attributes["mlflow.chat.tokenUsage"])}`);
    await mlflow.flushTraces();
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
