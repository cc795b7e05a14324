/**
 * Span attributes over OTLP, side by side with Python: ONE trace (spec/support/fixtures/
 * attribute-parity.json) holding every kind of value — plain and JSON-looking strings, numbers,
 * booleans, null, objects, lists, unicode — as attributes, inputs and outputs, with span types,
 * events and an ERROR status, is written to the real pinned `mlflow server` by MLflow's Python SDK
 * (spec/support/python/write_attribute_parity_trace.py) and by every TypeScript path that sends
 * spans to `/v1/traces`. Each is read back with Python's `mlflow.get_trace` and must read as
 * Python's own trace does, and `span.type` / `span.name` / `span.attributes.*` search must find
 * them all alike.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { resolveExperimentAt } from "../../lib/export/destination/config";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { OtlpClient } from "../../lib/export/clients/otlp-client";
import type { OtlpClientOptions } from "../../lib/export/clients/otlp-config";
import type { TraceClient } from "../../lib/export/clients/trace-client";
import { getLastActiveTrace, startSpan, updateCurrentTrace, type Trace } from "../../lib/index";
import { iterateTraces } from "../../lib/search/search-traces";
import { runPythonJson } from "../support/mlflow-server";
import type { PySpan } from "../support/python-trace";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const python = process.env["MLFLOW_TEST_PYTHON"] ?? "";
const FIXTURE = join(__dirname, "..", "support", "fixtures", "attribute-parity.json");

interface Fixture {
  values: Record<string, unknown>;
  span_types: string[];
  event: { name: string; attributes: Record<string, string | number | boolean> };
  error: { span: string; type: string; message: string };
}
const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as Fixture;
const KINDS = Object.keys(fixture.values);

interface ReadSpan extends PySpan {
  /** The JSON text the store holds for each attribute value. */
  attribute_texts: Record<string, string>;
}
interface ReadTrace {
  tags: Record<string, string>;
  metadata: Record<string, string>;
  spans: ReadSpan[];
}

/** Attributes Python's SDK sets and this one does not: none (MLflow 3.17's `mlflow.spanLogLevel` is set by both). */
const PYTHON_ONLY_ATTRIBUTES = new Set<string>();
/** The OTLP client puts the trace record on the root span, as Python's OTLP exporter does; Python writing to MLflow sends it in StartTraceV3. */
const RECORD_PREFIX = "mlflow.traceTag.";

/** `values` as the fixture trace: root attributes `attr.<kind>`, a child `io_<kind>` per value, a failing span, an event. */
async function buildTrace(values: Record<string, unknown>): Promise<Trace> {
  await startSpan({ name: "attribute_parity", spanType: "CHAIN", inputs: { question: "what?" } }, async (root) => {
    for (const kind of Object.keys(values)) root.setAttribute(`attr.${kind}`, values[kind]);
    root.addEvent(fixture.event.name, fixture.event.attributes);
    for (const kind of Object.keys(values)) {
      const spanType = fixture.span_types[KINDS.indexOf(kind) % fixture.span_types.length] as string;
      startSpan({ name: `io_${kind}`, spanType, inputs: values[kind] }, (span) => {
        span.setOutputs(values[kind]);
      });
    }
    startSpan({ name: fixture.error.span, spanType: "TOOL" }, (span) => {
      span.addEvent("exception", { "exception.type": fixture.error.type, "exception.message": fixture.error.message });
      span.setStatus("ERROR", `${fixture.error.type}: ${fixture.error.message}`);
    });
    root.setOutputs("done");
  });
  const trace = getLastActiveTrace();
  if (trace === undefined) throw new Error("no trace completed");
  return trace;
}

interface Path {
  readonly name: string;
  readonly client: () => TraceClient;
  /** Whether the server stores Python's JSON text byte for byte (objects sent natively, the server writes their text). */
  readonly exactText: boolean;
  readonly recordOnRoot: boolean;
}

describe("span attributes over OTLP read back as Python's own", () => {
  let experimentId: string;
  const clients: TraceClient[] = [];
  const ids = new Map<string, string>();
  let pythonId: string;
  let read: Record<string, ReadTrace>;

  const otlp = (options: OtlpClientOptions) => (): TraceClient => new OtlpClient({ endpoint: `${url}/v1/traces`, experimentId, ...options }, {});
  const PATHS: readonly Path[] = [
    {
      name: "MlflowRestClient (OTLP/JSON beside StartTraceV3)",
      client: () => new MlflowRestClient({ trackingUri: url, experiment: { experimentId } }),
      exactText: true,
      recordOnRoot: false,
    },
    {
      name: "MlflowRestClient spans-only",
      client: () => new MlflowRestClient({ trackingUri: url, experiment: { experimentId }, spansOnly: true }),
      exactText: true,
      recordOnRoot: true,
    },
    { name: "OtlpClient flat http/protobuf", client: otlp({ attributeValues: "flat" }), exactText: false, recordOnRoot: true },
    { name: "OtlpClient native http/protobuf", client: otlp({ attributeValues: "native" }), exactText: true, recordOnRoot: true },
    {
      name: "OtlpClient flat http/json",
      client: otlp({ attributeValues: "flat", protocol: "http/json" }),
      exactText: false,
      recordOnRoot: true,
    },
    {
      name: "OtlpClient native http/json",
      client: otlp({ attributeValues: "native", protocol: "http/json" }),
      exactText: true,
      recordOnRoot: true,
    },
  ];

  async function send(path: Path): Promise<string> {
    const trace = await buildTrace(fixture.values);
    const client = path.client();
    clients.push(client);
    const { failures } = await client.export([trace], { signal: AbortSignal.timeout(60_000) });
    expect(failures.map((f) => f.error.message)).toEqual([]);
    return trace.info.traceId;
  }

  beforeAll(async () => {
    experimentId = (await resolveExperimentAt(url, { name: `attribute-parity-${randomBytes(4).toString("hex")}` })).experimentId;
    const written = runPythonJson(python, "write_attribute_parity_trace.py", [url, experimentId, FIXTURE]) as Promise<{ trace_id: string }>;
    for (const path of PATHS) ids.set(path.name, await send(path));
    pythonId = (await written).trace_id;
    read = (await runPythonJson(python, "read_attribute_parity.py", [url, pythonId, ...ids.values()])) as Record<string, ReadTrace>;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown()));
  });

  function spansOf(traceId: string): Map<string, ReadSpan> {
    return new Map((read[traceId]?.spans ?? []).map((s) => [s.name, s]));
  }

  /** A span as compared: what Python reads, without the trace id and the attributes named above. */
  function comparable(span: ReadSpan | undefined, traceId: string): unknown {
    if (span === undefined) return undefined;
    const attributes = Object.fromEntries(
      Object.entries(span.attributes).filter(([key]) => !PYTHON_ONLY_ATTRIBUTES.has(key) && !key.startsWith(RECORD_PREFIX)),
    );
    expect(attributes["mlflow.traceRequestId"]).toBe(traceId);
    delete attributes["mlflow.traceRequestId"];
    return {
      span_type: span.span_type,
      inputs: span.inputs,
      outputs: span.outputs,
      status: span.status,
      events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
      attributes,
    };
  }

  it("Python's trace holds what the fixture says, quirks included: JSON-looking strings read back as JSON", () => {
    const spans = spansOf(pythonId);
    expect(spans.get("io_plain")?.inputs).toBe("hello world");
    expect(spans.get("io_numeric_string")?.outputs).toBe("42");
    expect(spans.get("io_null")?.outputs).toBeNull();
    // MLflow's server strips what it takes for a second JSON layer, from Python's spans too.
    expect(spans.get("io_object_string")?.inputs).toEqual({ a: 1 });
    expect(spans.get("io_quoted_string")?.inputs).toBe("hi");
    expect(spans.get("failing")?.status).toEqual({ code: "ERROR", description: "ValueError: boom" });
    expect(spans.get("io_bool_string")?.span_type).toBe("MY_CUSTOM_TYPE");
  });

  for (const path of PATHS) {
    it(`${path.name}: every span type, status, event, input, output and attribute reads back as Python's`, () => {
      const traceId = ids.get(path.name) as string;
      const ours = spansOf(traceId);
      const python = spansOf(pythonId);
      const names = [...python.keys()];
      expect([...ours.keys()].sort()).toEqual(names.sort());
      for (const name of names) {
        expect([name, comparable(ours.get(name), traceId)]).toEqual([name, comparable(python.get(name), pythonId)]);
      }
      // The spans went to the database over OTLP, not to a traces.json artifact.
      expect(read[traceId]?.tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
      const root = ours.get("attribute_parity");
      expect(Object.keys(root?.attributes ?? {}).some((key) => key.startsWith(RECORD_PREFIX))).toBe(path.recordOnRoot);
    });
  }

  it("gives every attribute the JSON text Python's client gives Python's own", () => {
    const python = spansOf(pythonId);
    for (const path of PATHS) {
      for (const [name, span] of spansOf(ids.get(path.name) as string)) {
        const expected = python.get(name)?.attribute_texts ?? {};
        for (const [key, text] of Object.entries(span.attribute_texts)) {
          if (key === "mlflow.traceRequestId" || key.startsWith(RECORD_PREFIX)) continue;
          expect([path.name, name, key, text]).toEqual([path.name, name, key, expected[key]]);
        }
      }
    }
  });

  it("is found by span.type, span.name and span.attributes filters as Python's trace is", async () => {
    const all = new Set([pythonId, ...ids.values()]);
    const found = async (filter: string): Promise<string[]> => {
      const out: string[] = [];
      for await (const page of iterateTraces({ trackingUri: url, experimentIds: [experimentId], filter })) {
        for (const trace of page) if (all.has(trace.info.traceId)) out.push(trace.info.traceId);
      }
      return out.sort();
    };
    const everyone = [...all].sort();
    expect(await found("span.type = 'MY_CUSTOM_TYPE'")).toEqual(everyone);
    expect(await found("span.type = 'LLM' AND span.name = 'io_quoted_string'")).toEqual(everyone);
    expect(await found("span.status = 'ERROR' AND span.name = 'failing'")).toEqual(everyone);
    expect(await found("span.attributes.`attr.plain` LIKE '%hello world%'")).toEqual(everyone);
    expect(await found("span.attributes.`attr.unicode` LIKE '%世界 🚀%'")).toEqual(everyone);
    // The stored JSON text of an object has Python's spacing when objects travel natively (the
    // server writes the text); flat's compact text is kept as sent, so this LIKE misses it.
    const spaced = [pythonId, ...PATHS.filter((p) => p.exactText).map((p) => ids.get(p.name) as string)].sort();
    expect(await found("span.attributes.`mlflow.spanInputs` LIKE '%: 0.5, %'")).toEqual(spaced);
  });

  it("spans-only: tags, user and session reach the trace record exactly, JSON-looking values included", async () => {
    const tags = { plain: "v", num: "42", obj: '{"a": 1}', quoted: '"hi"', nullish: "null", uni: "Grüße 🚀" };
    await startSpan({ name: "tagged", spanType: "CHAIN" }, async () => {
      updateCurrentTrace({ tags, user: '"u-1"', session: "s-1" });
    });
    const trace = getLastActiveTrace() as Trace;
    const client = new MlflowRestClient({ trackingUri: url, experiment: { experimentId }, spansOnly: true });
    clients.push(client);
    const { failures } = await client.export([trace], { signal: AbortSignal.timeout(60_000) });
    expect(failures).toEqual([]);
    const back = (await runPythonJson(python, "read_attribute_parity.py", [url, trace.info.traceId])) as Record<string, ReadTrace>;
    expect(back[trace.info.traceId]?.tags).toMatchObject(tags);
    expect(back[trace.info.traceId]?.metadata).toMatchObject({ "mlflow.trace.user": '"u-1"', "mlflow.trace.session": "s-1" });
  });
});
