/**
 * Issue #12 (points 1–5, 11) against a real `mlflow server`, through the export path a user gets
 * (completed trace → exporter → batch processor → MlflowRestClient), counted with MLflow's own
 * Python client: hostile values and calls leave every trace of the batch delivered, large traces
 * arrive, and no secret reaches the server.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";
import * as mlflow from "../../lib/index";
import { runPythonJson } from "../support/mlflow-server";

const SERVER = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const PYTHON = process.env["MLFLOW_TEST_PYTHON"] ?? "";

interface PySearch {
  traces: { trace_id: string; spans: number; json_length: number; json?: string }[];
}

function searchWithPython(experiment: string, full = false): Promise<PySearch> {
  return runPythonJson(PYTHON, "search_traces.py", [SERVER, experiment, ...(full ? ["--full"] : [])]) as Promise<PySearch>;
}

let experiment = "";
beforeEach(async () => {
  resetDiagnosticsCounts();
  mlflow.setDiagnosticsLogger(() => undefined);
  await mlflow.configureExport({ scheduledDelayMs: 10, flushOnExit: false });
  setTrackingUri(SERVER);
  experiment = `reliability-${randomBytes(4).toString("hex")}`;
  void setExperiment(experiment);
});
afterEach(async () => {
  await mlflow.shutdownExport({ timeoutMs: 10_000 });
  await mlflow.configureExport({ flushOnExit: false });
  resetExportConfig();
  mlflow.setDiagnosticsLogger(undefined);
});

/** Ten ordinary traces around the hostile ones, so a poisoned batch would show. */
function ordinaryTraces(tag: string, n = 10): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    mlflow.startSpan({ name: `${tag}-${i}`, inputs: { i } }, () => i);
    ids.push(mlflow.getLastActiveTraceId()!);
  }
  return ids;
}

describe("reliability: values and calls that used to break tracing", () => {
  it("delivers every trace of a batch holding hostile calls and values (#12.1, 12.3, 12.4)", async () => {
    const ids = ordinaryTraces("before");
    const oneMb = "m".repeat(1_000_000);
    const manyRefs = Array.from({ length: 10_000 }, () => oneMb);
    const hostile: Array<() => unknown> = [
      () => mlflow.startSpan("oops" as unknown as mlflow.StartSpanOptions, () => 1),
      () => mlflow.startSpan(null as unknown as mlflow.StartSpanOptions, () => 2),
      () => mlflow.startSpan({ name: "bigint-preview" }, () => mlflow.updateCurrentTrace({ requestPreview: 10n as unknown as string })),
      () =>
        mlflow.startSpan({ name: "refs", inputs: { docs: manyRefs } }, (span) => {
          span.addEvent("docs", { docs: manyRefs });
          mlflow.updateCurrentTrace({ tags: { docs: manyRefs } });
          return manyRefs;
        }),
      () =>
        mlflow.traced(function samples(values: Float64Array) {
          return values.length;
        })(new Float64Array(2_000_000)),
      () =>
        mlflow.startSpan(
          { name: "proxy" },
          () =>
            new Proxy(
              {},
              {
                getPrototypeOf: () => {
                  throw new Error("trap");
                },
              },
            ),
        ),
    ];
    for (const call of hostile) {
      call();
      ids.push(mlflow.getLastActiveTraceId()!);
    }
    ids.push(...ordinaryTraces("after"));

    expect(await mlflow.flushTraces()).toMatchObject({ exported: ids.length, failed: 0, dropped: 0, pending: 0 });
    const found = await searchWithPython(experiment);
    expect(found.traces.map((t) => t.trace_id).sort()).toEqual([...ids].sort());
    expect(Math.max(...found.traces.map((t) => t.json_length))).toBeLessThan(20_000_000);
  });

  it("delivers traces of ~700 KB and one bigger than maxQueueBytes instead of dropping them (#12.5)", async () => {
    await mlflow.configureExport({ scheduledDelayMs: 10, flushOnExit: false, maxQueueBytes: 8 * 1024 * 1024 });
    setTrackingUri(SERVER);
    void setExperiment(experiment);
    const ids: string[] = [];
    const page = "p".repeat(700_000);
    for (let i = 0; i < 30; i++) {
      await mlflow.startSpan({ name: `page-${i}` }, async () => `${i}${page}`);
      ids.push(mlflow.getLastActiveTraceId()!);
    }
    mlflow.startSpan({ name: "huge" }, () => {
      // Three 1 MB strings per span (maxStringLength is 1,000,000 chars): ~9 MB in all, over maxQueueBytes.
      for (let i = 0; i < 3; i++) mlflow.startSpan({ name: `part-${i}`, inputs: [1, 2, 3].map((j) => `${i}${j}${"h".repeat(999_000)}`) }, () => undefined);
    });
    ids.push(mlflow.getLastActiveTraceId()!);

    expect(await mlflow.flushTraces()).toMatchObject({ exported: 31, failed: 0, dropped: 0, pending: 0 });
    const found = await searchWithPython(experiment);
    expect(found.traces.map((t) => t.trace_id).sort()).toEqual([...ids].sort());
    const huge = found.traces.find((t) => t.trace_id === ids[30]);
    expect(huge).toMatchObject({ spans: 4 });
    expect(huge!.json_length).toBeGreaterThan(8 * 1024 * 1024);
  });

  it("lets no secret reach the server from inputs, attributes, Map keys, events, tags or metadata (#12.11)", async () => {
    const secrets = ["sk-LEAKED1", "hunter2-pw", "p@ss/w0rd", "qs-secret", "jwt-value", "cookie-value", "inner-pass", "gcp-creds"];
    mlflow.startSpan(
      {
        name: "secrets",
        inputs: {
          client: new Map<string, unknown>([["apiKey", "sk-LEAKED1"]]),
          credentials: { user: "ann", pass: "inner-pass" },
          dsn: "postgres://ann:p@ss/w0rd@db:5432/app",
          link: "https://api.example/search?q=x&api_key=qs-secret",
          GCP_CREDS: "gcp-creds",
        },
      },
      (span) => {
        span.setAttribute("password", "hunter2-pw");
        span.addEvent("login", { jwt: "jwt-value" });
        mlflow.updateCurrentTrace({ tags: { cookie: "cookie-value" }, metadata: { auth: "jwt-value" } });
      },
    );
    expect(await mlflow.flushTraces()).toMatchObject({ exported: 1, failed: 0 });
    const [trace] = (await searchWithPython(experiment, true)).traces;
    expect(trace?.spans).toBe(1);
    for (const secret of secrets) expect(trace!.json).not.toContain(secret);
    expect(trace!.json).toContain("**********");
  });
});
