/**
 * Trace tags and metadata beyond MLflow's length limits, side by side with MLflow's Python SDK on
 * the real pinned server: the same long trace name, tags and metadata logged by both read back
 * the same (Python cuts them in `TraceInfo.to_proto`; the server refuses a trace name over 4096
 * characters, which lost such a trace before), and values that are not strings are written as
 * Python's `str()` writes them.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig } from "../../lib/export/destination/config";
import * as mlflow from "../../lib/index";
import { runPythonJson } from "../support/mlflow-server";
import { VALUES } from "../support/python-str-values";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const python = process.env["MLFLOW_TEST_PYTHON"] ?? "";

const LONG = {
  name: `answer ${"n".repeat(5000)}`,
  tags: { ["t".repeat(300)]: "w", long: "0123456789".repeat(500), wide: "😀".repeat(5000) },
  metadata: { ["m".repeat(300)]: "v", long: "abcdefghij".repeat(30), wide: "😀".repeat(300) },
};

interface ReadBack {
  tags: Record<string, string>;
  metadata: Record<string, string>;
}

async function readBack(traceId: string): Promise<ReadBack> {
  const res = await fetch(`${url}/api/3.0/mlflow/traces/${traceId}`);
  expect(res.status).toBe(200);
  const info = ((await res.json()) as { trace: { trace_info: { tags: Record<string, string>; trace_metadata: Record<string, string> } } }).trace.trace_info;
  const own = (record: Record<string, string>, keep: string[]): Record<string, string> =>
    Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith("mlflow.") || keep.includes(key)));
  return { tags: own(info.tags, ["mlflow.traceName"]), metadata: own(info.trace_metadata, []) };
}

describe("trace tags and metadata beyond MLflow's limits, as MLflow's Python SDK sends them", () => {
  let experimentId = "";

  beforeAll(async () => {
    resetExportConfig();
    mlflow.setTrackingUri(url);
    experimentId = (await mlflow.setExperiment(`limits-${randomBytes(4).toString("hex")}`)).experimentId;
  });

  afterAll(async () => {
    await mlflow.shutdownExport();
    resetExportConfig();
  });

  it("a trace with a 5000-character name and long tags and metadata reaches the server, cut as Python cuts it", async () => {
    const ours = mlflow.startSpan({ name: LONG.name }, (span) => {
      mlflow.updateCurrentTrace({ tags: LONG.tags, metadata: LONG.metadata });
      return span.traceId;
    });
    expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ exported: 1, failed: 0 });
    const theirs = (await runPythonJson(python, "long_trace_info.py", [url, experimentId, JSON.stringify(LONG)])) as { trace_id: string };
    const [fromOurs, fromPython] = await Promise.all([readBack(ours), readBack(theirs.trace_id)]);
    expect(fromOurs).toEqual(fromPython);
    expect(fromOurs.tags["mlflow.traceName"]).toHaveLength(4096);
  });

  it("tags and metadata that are not strings read back as Python's str() of the same values", async () => {
    // JSON keeps 1.5 a float and 2 an int in Python; JavaScript has one number type, so 1.0 (a
    // Python float, "1.0") has no JavaScript spelling and is left out; NaN has no JSON spelling to
    // hand to the Python script.
    const { nan: _nan, ...values } = VALUES;
    const named = { name: "non-string values", tags: values, metadata: values };
    const ours = mlflow.startSpan({ name: named.name }, (span) => {
      mlflow.updateCurrentTrace({ tags: values, metadata: values });
      return span.traceId;
    });
    expect(await mlflow.flushTraces({ timeoutMs: 30_000 })).toMatchObject({ exported: 1, failed: 0 });
    const theirs = (await runPythonJson(python, "long_trace_info.py", [url, experimentId, JSON.stringify(named)])) as { trace_id: string };
    const [fromOurs, fromPython] = await Promise.all([readBack(ours), readBack(theirs.trace_id)]);
    expect(fromOurs).toEqual(fromPython);
    expect(fromOurs.tags).toMatchObject({
      yes: "True",
      none: "None",
      float: "1.5",
      tiny: "1e-05",
      dict: "{'a': 1, 'b': [True, None, 'x'], \"it's\": {'c': 0.5}}",
    });
  });
});
