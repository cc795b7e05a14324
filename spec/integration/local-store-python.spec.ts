/**
 * The local store against the real thing: MLflow's Python `Trace.from_json` loads what the store
 * writes, `traces sync` delivers to a real `mlflow server` exactly once (also after a failure
 * mid-sync), and `file:` sync writes a file store that MLflow itself reads.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalStore } from "../../lib/export/clients/local-store/store";
import { LocalStoreReader } from "../../lib/export/clients/local-store/reader";
import { syncLocalTraces } from "../../lib/cli/local-store/sync";
import { MlrunsWriter } from "../../lib/cli/local-store/mlruns-writer";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { ExportError } from "../../lib/export/errors";
import type { TraceClient } from "../../lib/export/clients/trace-client";
import { startSpan, getLastActiveTrace } from "../../lib/index";
import { resetExportConfig, setExperiment } from "../../lib/export/destination/config";
import { runCli } from "../../lib/cli/main";
import type { Trace } from "../../lib/tracing/trace";
import { makeRealTrace } from "../export/clients/local-store/store.fixtures";

const SERVER = process.env["MLFLOW_TEST_SERVER_URL"] as string;
const PYTHON = process.env["MLFLOW_TEST_PYTHON"] as string;

function python(code: string, args: string[], env: Record<string, string> = {}): Promise<unknown> {
  return new Promise((ok, fail) => {
    const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const key of Object.keys(clean)) if (key.startsWith("MLFLOW_TRACKING_") && !(key in env)) delete clean[key];
    execFile(PYTHON, ["-c", code, ...args], { env: clean, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return fail(new Error(`${err.message}\n${stderr}`));
      try {
        ok(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
      } catch {
        fail(new Error(`no JSON from python:\n${stdout}\n${stderr}`));
      }
    });
  });
}

const DESCRIBE = `
import json, sys
def describe(t):
    return {"trace_id": t.info.trace_id, "state": str(getattr(t.info.state, "value", t.info.state)),
            "token_usage": t.info.token_usage,
            "spans": [{"name": s.name, "type": s.span_type, "parent": s.parent_id, "status": s.status.status_code.value,
                       "inputs": s.inputs, "outputs": s.outputs, "events": [e.name for e in s.events]} for s in t.data.spans]}
`;

function expected(trace: Trace): unknown {
  return {
    trace_id: trace.info.traceId,
    state: trace.info.state,
    token_usage: trace.info.tokenUsage === undefined ? null : { input_tokens: 12, output_tokens: 30, total_tokens: 42 },
    spans: trace.data.spans.map((s) => ({
      name: s.name,
      type: s.spanType,
      parent: s.parentId,
      status: s.status.code,
      inputs: s.inputs ?? null,
      outputs: s.outputs ?? null,
      events: s.events.map((e) => e.name),
    })),
  };
}

function erroredTrace(): Trace {
  try {
    startSpan({ name: "pipeline", spanType: "CHAIN", inputs: { q: "x" } }, () =>
      startSpan({ name: "tool", spanType: "TOOL" }, () => {
        throw new RangeError("out of range");
      }),
    );
  } catch {
    // expected
  }
  return getLastActiveTrace() as Trace;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-local-it-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A real trace and an errored one, written by the local store; their files. */
async function storedTraces(): Promise<{ traces: Trace[]; files: string[] }> {
  const store = new LocalStore({ dir });
  const traces = [makeRealTrace(), erroredTrace()];
  await store.export(traces);
  return { traces, files: readdirSync(join(dir, "traces")).map((f) => join(dir, "traces", f)) };
}

describe("local store files", () => {
  it("load with MLflow's Python Trace.from_json, spans, token usage and errors intact", async () => {
    const { traces, files } = await storedTraces();
    const loaded = (await python(
      `${DESCRIBE}
from mlflow.entities import Trace
print(json.dumps([describe(Trace.from_json(open(p).read())) for p in sys.argv[1:]], default=str))`,
      files,
    )) as unknown[];
    const byId = new Map(traces.map((t) => [t.info.traceId, t]));
    expect(loaded).toHaveLength(2);
    for (const item of loaded) {
      const id = (item as { trace_id: string }).trace_id;
      expect(item).toEqual(expected(byId.get(id) as Trace));
    }
  });
});

describe("trace size metadata", () => {
  it("equals what MLflow's Python add_size_stats_to_trace_metadata computes for the same traces", async () => {
    const { traces, files } = await storedTraces();
    const results = (await python(
      `import json, sys
from mlflow.entities import Trace
from mlflow.tracing.utils import add_size_stats_to_trace_metadata
out = []
for path in sys.argv[1:]:
    t = Trace.from_json(open(path).read())
    ours = {k: t.info.trace_metadata.pop(k) for k in ("mlflow.trace.sizeStats", "mlflow.trace.sizeBytes")}
    add_size_stats_to_trace_metadata(t)
    out.append({"id": t.info.trace_id, "ours": ours, "python": {k: t.info.trace_metadata[k] for k in ours}})
print(json.dumps(out))`,
      files,
    )) as { id: string; ours: Record<string, string>; python: Record<string, string> }[];
    expect(results.map((r) => r.id).sort()).toEqual(traces.map((t) => t.info.traceId).sort());
    for (const { ours, python: py } of results) expect(ours).toEqual(py);
  });
});

describe("traces sync to a real MLflow server", () => {
  it("delivers each trace exactly once, also when resumed after a failure mid-sync", async () => {
    const store = new LocalStore({ dir });
    const traces = Array.from({ length: 6 }, (_, i) => makeRealTrace(`sync-${i}`));
    await store.export(traces);
    const experiment = { name: `local-store-sync-${Date.now()}` };
    const destination = { trackingUri: SERVER, experiment };
    const real = new MlflowRestClient({ trackingUri: SERVER, experiment });
    let calls = 0;
    // The first batch reaches the server, then the "connection" dies before the answer.
    const flaky: TraceClient = {
      export: async (batch, options) => {
        const result = await real.export(batch, options);
        if (++calls === 1) throw new ExportError("socket hang up after the server committed");
        return result;
      },
      getTrace: (id) => real.getTrace(id),
      shutdown: async () => undefined,
    };
    try {
      const first = await syncLocalTraces(new LocalStoreReader(store.dir), { destination, client: flaky, batchSize: 4 });
      expect(first).toMatchObject({ sent: 2, failed: 4 });
      const resumed = await syncLocalTraces(new LocalStoreReader(store.dir), { destination, batchSize: 4 });
      expect(resumed).toMatchObject({ total: 4, alreadyThere: 4, sent: 0, failed: 0 });
      expect((await syncLocalTraces(new LocalStoreReader(store.dir), { destination })).total).toBe(0);
    } finally {
      await real.shutdown();
    }
    const onServer = (await python(
      `import json, sys, mlflow
mlflow.set_tracking_uri(sys.argv[1])
exp = mlflow.get_experiment_by_name(sys.argv[2])
found = mlflow.search_traces(locations=[exp.experiment_id], return_type="list", max_results=100)
print(json.dumps(sorted([(t.info.trace_id, len(t.data.spans)) for t in found])))`,
      [SERVER, experiment.name],
    )) as [string, number][];
    expect(onServer).toEqual(traces.map((t) => [t.info.traceId, 3]).sort());
  });
});

describe("the experiment the code named, with no tracking URI", () => {
  afterEach(() => resetExportConfig());

  it("is in the trace file for Python's Trace.from_json, and traces sync --to without --experiment sends the traces there", async () => {
    const name = `local-store-named-${Date.now()}`;
    void setExperiment(name);
    const store = new LocalStore({ dir });
    const traces = [makeRealTrace("named-0"), makeRealTrace("named-1")];
    await store.export(traces);
    resetExportConfig();
    const files = readdirSync(join(dir, "traces")).map((f) => join(dir, "traces", f));
    const read = await python(
      `import json, sys
from mlflow.entities import Trace
print(json.dumps([[t.info.trace_location.mlflow_experiment.experiment_id, t.info.trace_metadata["mlflow_haystack.experiment"]]
                  for t in (Trace.from_json(open(p).read()) for p in sys.argv[1:])]))`,
      files,
    );
    expect(read).toEqual([
      ["0", JSON.stringify({ name })],
      ["0", JSON.stringify({ name })],
    ]);
    let out = "";
    const code = await runCli(["traces", "sync", "--to", SERVER, "--store", dir], {
      stdout: { write: (t: string) => (out += t), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: {},
    });
    expect({ code, out }).toEqual({ code: 0, out: `Sent 2 trace(s) to ${SERVER}, experiment "${name}"; 0 failed.\n` });
    const onServer = await python(
      `import json, sys, mlflow
mlflow.set_tracking_uri(sys.argv[1])
exp = mlflow.get_experiment_by_name(sys.argv[2])
found = mlflow.search_traces(locations=[exp.experiment_id], return_type="list", max_results=100)
print(json.dumps({"ids": sorted(t.info.trace_id for t in found), "recorded": [t.info.trace_metadata.get("mlflow_haystack.experiment") for t in found]}))`,
      [SERVER, name],
    );
    // The entry is the store's bookkeeping: the server gets the trace as it was recorded.
    expect(onServer).toEqual({ ids: traces.map((t) => t.info.traceId).sort(), recorded: [null, null] });
  });
});

describe("MLflow 3.x file store (`traces sync --to file:<dir>`)", () => {
  it("is read by MLflow's own FileStore when MLFLOW_ALLOW_FILE_STORE=true", async () => {
    const store = new LocalStore({ dir: join(dir, "store") });
    const trace = makeRealTrace("file-store");
    await store.export([trace]);
    const mlruns = join(dir, "mlruns");
    const result = await syncLocalTraces(new LocalStoreReader(store.dir), {
      destination: { trackingUri: `file://${mlruns}` },
      client: new MlrunsWriter(mlruns),
    });
    expect(result.sent).toBe(1);
    const loaded = await python(
      `${DESCRIBE}
import mlflow
mlflow.set_tracking_uri("file://" + sys.argv[1])
t = mlflow.get_trace(sys.argv[2])
found = mlflow.search_traces(locations=["0"], return_type="list")
print(json.dumps({"trace": describe(t), "searched": [x.info.trace_id for x in found], "name": t.info.tags.get("mlflow.traceName")}, default=str))`,
      [mlruns, trace.info.traceId],
      { MLFLOW_ALLOW_FILE_STORE: "true" },
    );
    expect(loaded).toEqual({ trace: expected(trace), searched: [trace.info.traceId], name: "file-store" });
  });
});
