/**
 * Exporting to an MLflow tracking server: set the tracking URI and the experiment, run the
 * pipeline, flush, and read the trace back from the server.
 * Run: MLFLOW_TRACKING_URI=http://127.0.0.1:5000 npx ts-node samples/export-to-server.ts
 */
import * as mlflow from "../lib/index";
import { MlflowRestClient } from "../lib/export/index";
import { chooseLanguageModel } from "./support/language-model";
import { buildRagPipeline } from "./support/rag-pipeline";

async function main(): Promise<void> {
  const uri = process.env["MLFLOW_TRACKING_URI"] ?? "http://127.0.0.1:5000";
  mlflow.setTrackingUri(uri);
  const experiment = await mlflow.setExperiment(process.env["SAMPLE_EXPERIMENT"] ?? "haystack-tracing-demo");
  console.log(`Experiment "${experiment.name}" (id ${experiment.experimentId}) on ${uri}`);
  mlflow.haystack.autolog();

  const model = await chooseLanguageModel();
  try {
    const pipe = buildRagPipeline(model);
    await pipe.run({ retriever: { query: "Who lives in Rome?" }, prompt_builder: { question: "Who lives in Rome?" } });
    const id = mlflow.getLastActiveTraceId()!;
    const flushed = await mlflow.flushTraces();
    console.log(`Flushed: ${flushed.exported} exported, ${flushed.failed} failed`);

    const client = new MlflowRestClient({ trackingUri: uri });
    const stored = await client.getTrace(id);
    await client.shutdown();
    console.log(`Read back ${id}: state ${stored?.info.state}, spans ${stored?.data.spans.map((s) => s.name).join(", ")}`);
    console.log(`Token usage on the server: ${JSON.stringify(stored?.info.tokenUsage)}`);
  } finally {
    await model.close();
    await mlflow.shutdownExport();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
