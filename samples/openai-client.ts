/**
 * Tracing the `openai` client itself, outside any pipeline: mlflow.openai.trace(client) gives the same
 * client back with every call traced — here a plain chat completion and a streamed one inside a span of
 * your own, then the trace tree with token usage.
 *
 * With OPENAI_API_KEY set it calls OpenAI (or OPENAI_BASE_URL); without, an offline demo model answers
 * locally through the same OpenAI-compatible protocol. Traces go to the tracking URI or the local store.
 * Run: npx ts-node samples/openai-client.ts
 */
import OpenAI from "openai";
import * as mlflow from "../lib/index";
import { palette, colorEnabled } from "../lib/cli/cli-io";
import { renderTrace } from "../lib/cli/render-tree";
import { chooseLanguageModel } from "./support/language-model";

async function main(): Promise<void> {
  const model = await chooseLanguageModel();
  try {
    console.log(`Answers come from ${model.description}.\n`);
    const { apiBaseUrl, apiKey } = model.generatorOptions;
    const client = mlflow.openai.trace(
      new OpenAI({ maxRetries: 1, ...(apiBaseUrl !== undefined ? { baseURL: apiBaseUrl } : {}), ...(apiKey !== undefined ? { apiKey } : {}) }),
    );
    const messages = [{ role: "user" as const, content: "Documents:\n  Jean lives in Paris.\nQuestion: Who lives in Paris?" }];

    await mlflow.startSpan({ name: "answer_question", spanType: mlflow.SpanType.CHAIN, inputs: { question: "Who lives in Paris?" } }, async (span) => {
      const completion = await client.chat.completions.create({ model: model.generatorOptions.model, messages });
      console.log(`Answer: ${completion.choices[0]?.message.content}`);

      // The span of a streamed call stays open until the stream ends; usage comes from its final chunk.
      const stream = await client.chat.completions.create({
        model: model.generatorOptions.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let streamed = "";
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? "";
      console.log(`Streamed answer: ${streamed}\n`);
      span.setOutputs({ answer: streamed });
    });

    const trace = mlflow.getLastActiveTrace();
    if (trace !== undefined) console.log(renderTrace(trace, { verbose: false, colors: palette(colorEnabled(process.stdout, process.env)) }));
    console.log(`\nToken usage of the trace: ${JSON.stringify(trace?.info.tokenUsage)}`);
    const { exported, failed } = await mlflow.flushTraces();
    console.log(`Exported ${exported} trace(s), ${failed} failed.`);
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
