/**
 * The seed's RAG example, ported line by line: BM25 retrieval over an in-memory document store, a
 * Jinja prompt, an OpenAI generator — traced by mlflow.haystack.autolog(). `npm start` runs it.
 *
 * With OPENAI_API_KEY set it calls OpenAI (or OPENAI_BASE_URL); without, an offline demo model
 * answers locally through the same OpenAIGenerator and openai client. Traces go to the tracking
 * URI (MLFLOW_TRACKING_URI / setTrackingUri) or, when none is set, to the local store.
 */
import * as mlflow from "../lib/index";
import { palette, colorEnabled } from "../lib/cli/cli-io";
import { renderTrace } from "../lib/cli/render-tree";
import { defaultLocalStoreDir } from "../lib/export/clients/local-store/location";
import { chooseLanguageModel } from "./support/language-model";
import { buildRagPipeline } from "./support/rag-pipeline";
import { describeTraceOnServer } from "./support/trace-location";

async function main(): Promise<void> {
  mlflow.haystack.autolog();
  if (process.env["MLFLOW_EXPERIMENT_NAME"] === undefined) void mlflow.setExperiment("haystack-tracing-demo");

  const model = await chooseLanguageModel();
  try {
    console.log(`Answers come from ${model.description}.\n`);
    const pipe = buildRagPipeline(model);

    const question = "Who lives in Paris?";
    const result = await pipe.run({ retriever: { query: question }, prompt_builder: { question } });
    const replies = (result["llm"] as { replies: string[] }).replies;
    console.log(`Question: ${question}`);
    console.log(`Answer: ${replies[0]}\n`);

    const trace = mlflow.getLastActiveTrace();
    if (trace !== undefined) {
      const colors = palette(colorEnabled(process.stdout, process.env));
      console.log(renderTrace(trace, { verbose: false, colors }));
    }
    const { exported, failed } = await mlflow.flushTraces();
    const uri = mlflow.getTrackingUri();
    if (uri === undefined || uri.startsWith("mlflow-haystack-local:")) {
      console.log(`\nThe trace was stored in the local store ${defaultLocalStoreDir()} (${exported} exported, ${failed} failed).`);
      console.log("Open it with:  npx mlflow-haystack traces show --last --verbose");
      console.log("Or in the MLflow UI: mlflow server --port 5000, then  npx mlflow-haystack traces sync --to http://127.0.0.1:5000");
    } else if (failed > 0 || exported === 0 || trace === undefined) {
      console.log(`\nThe trace was NOT sent to ${uri} (${exported} exported, ${failed} failed); the SDK's warning above says why.`);
      console.log(`It is kept in the local store ${defaultLocalStoreDir()}: once the server is reachable, run  npx mlflow-haystack traces sync`);
      process.exitCode = 1;
    } else {
      console.log(`\n${await describeTraceOnServer(uri, trace.info.traceId)}`);
    }
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  // One line: the message names what failed and why; the stack and cause chain help nobody here.
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
