/**
 * A user's short script, run in its own process by spec/integration/faults.spec.ts: it points the
 * SDK at `FAULT_CHILD_TRACKING_URI` (a dead server), completes one trace and returns, leaving the
 * SDK to flush at exit. It prints `{"traceId", "doneAt"}` on stdout when its own work is done, and
 * `UNHANDLED_REJECTION` on stderr if any promise rejection goes unhandled.
 * Env: `FAULT_CHILD_TRACKING_URI`, `FAULT_CHILD_EXPORT_OPTIONS` (JSON for `configureExport`).
 */
import * as mlflow from "../../lib/index";

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`UNHANDLED_REJECTION ${String(reason)}\n`);
  process.exitCode = 3;
});

async function main(): Promise<void> {
  mlflow.setTrackingUri(process.env["FAULT_CHILD_TRACKING_URI"]);
  void mlflow.setExperiment("fault-child");
  await mlflow.configureExport(JSON.parse(process.env["FAULT_CHILD_EXPORT_OPTIONS"] ?? "{}") as mlflow.ExportSettings);
  await mlflow.startSpan({ name: "child-work", inputs: { n: 1 } }, async () => {
    mlflow.startSpan({ name: "child-step" }, () => "step");
    return "done";
  });
  process.stdout.write(`${JSON.stringify({ traceId: mlflow.getLastActiveTraceId(), doneAt: Date.now() })}\n`);
}

void main();
