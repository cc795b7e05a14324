/**
 * Fixture traces for the wire golden spec: every value shape the encoders treat differently
 * (strings that look like JSON, ints, floats, booleans, null, nested data, non-ASCII text and
 * astral characters, events, error and unset statuses, reserved attribute names, an orphan
 * root), and what the clients sent for them, captured from loopback servers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalStore } from "../../lib/export/clients/local-store/store";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { OtlpClient } from "../../lib/export/clients/otlp-client";
import { traceSizeMetadata } from "../../lib/tracing/trace-size-stats";
import { Trace, TraceInfo } from "../../lib/tracing/trace";
import type { Span } from "../../lib/tracing/span";
import { startCollector } from "./clients/otlp-collector";
import { startScriptedServer, type RecordedRequest, type ScriptedReply } from "../support/fault-proxy";

const RAG_ID = "tr-0af7651916cd43dd8448eb211c80319c";
const FAIL_ID = "tr-4bf92f3577b34da6a3ce929d0e0e4736";

function ragSpans(): Span[] {
  const base = { traceId: RAG_ID, events: [] };
  return [
    {
      ...base,
      name: "answer",
      spanId: "b7ad6b7169203331",
      parentId: null,
      spanType: "CHAIN",
      inputs: { question: "Wie geht's? 日本語 😀", n: 3, f: 1.5, nested: { list: [1, "two", null, true] } },
      outputs: "42",
      attributes: {
        "mlflow.spanFunctionName": "answer",
        custom: { a: 1, 'b"q': "line\nbreak\t\u0001" },
        label: "x",
        count: 7,
        ratio: 0.25,
        big: 12345678901234,
        flag: false,
        nothing: null,
        "mlflow.chat.tokenUsage": { input_tokens: 12, output_tokens: 30, total_tokens: 42 },
      },
      status: { code: "OK", description: "" },
      startTimeNs: 1750000000123000000n,
      endTimeNs: 1750000001623456789n,
    },
    {
      ...base,
      name: 'chat "gpt" é',
      spanId: "5fb397be34d26b51",
      parentId: "b7ad6b7169203331",
      spanType: "CHAT_MODEL",
      inputs: [{ role: "user", content: "hi\u2028there" }],
      outputs: undefined,
      attributes: { "mlflow.llm.model": "gpt-4o-mini", temperature: 0 },
      status: { code: "ERROR", description: 'TypeError: bo"om ü\n' },
      events: [
        {
          name: "exception",
          timeNs: 1750000000600000001n,
          attributes: { "exception.type": "TypeError", "exception.message": 'bo"om ü\n', n: 1, f: 1.5, b: true },
        },
        { name: "mlflow.chunk.item.0", timeNs: 1750000000700000000n, attributes: {} },
      ],
      startTimeNs: 1750000000500000000n,
      endTimeNs: 1750000001000000000n,
    },
    {
      ...base,
      name: "tool",
      spanId: "00f067aa0ba902b7",
      parentId: "5fb397be34d26b51",
      spanType: "TOOL",
      inputs: undefined,
      outputs: null,
      attributes: {},
      status: { code: "UNSET", description: "" },
      startTimeNs: 1750000000900000000n,
      endTimeNs: 1750000000900000000n,
    },
  ];
}

function failSpans(): Span[] {
  return [
    {
      name: "",
      spanId: "53995c3f42cd8ad8",
      traceId: FAIL_ID,
      // The parent is not in the trace: this span is its root all the same.
      parentId: "e457b5a2e4d86bd1",
      spanType: "UNKNOWN",
      inputs: '{"looks": "like json"}',
      outputs: ["a", 1, 2.5, { deep: [[[]]] }],
      attributes: { "mlflow.spanInputs": "shadowed", "mlflow.traceRequestId": "other", "user.id": "kept" },
      status: { code: "ERROR", description: "" },
      events: [{ name: "e", timeNs: 9007199254740993000n, attributes: { "x.y": "z" } }],
      startTimeNs: 9007199254740993000n,
      endTimeNs: 9007199254740999999n,
    },
  ];
}

/** The fixture traces, built afresh (an export writes `experimentId` onto a trace's info). */
export function fixtureTraces(): Trace[] {
  const rag = ragSpans();
  const fail = failSpans();
  return [
    new Trace(
      new TraceInfo(
        {
          traceId: RAG_ID,
          clientRequestId: "req-1",
          experimentId: "1",
          requestTime: 1750000000123,
          executionDuration: 1500.456789,
          state: "OK",
          requestPreview: '{"question": "Wie geht\'s?"}',
          tags: { "mlflow.traceName": "answer", team: "α", 'x"y': "1" },
          metadata: { "mlflow.trace_schema.version": "3", "mlflow.trace.user": "u-1", "mlflow.trace.session": "s-1", custom: "v é" },
        },
        { previews: () => ({}), lateMetadata: (self, add) => add(traceSizeMetadata(self.toJSON(), rag)) },
      ),
      rag,
    ),
    new Trace(
      new TraceInfo(
        {
          traceId: FAIL_ID,
          experimentId: "1",
          requestTime: 9007199254740,
          executionDuration: 0,
          state: "ERROR",
          tags: {},
          metadata: {},
        },
        { previews: () => ({}), lateMetadata: (self, add) => add(traceSizeMetadata(self.toJSON(), fail)) },
      ),
      fail,
    ),
  ];
}

/** Everything the clients sent for the fixture traces, by request. Protobuf bodies in base64. */
export type WireCapture = Record<string, string>;

const START_TRACE = "/api/3.0/mlflow/traces";

function mlflowServer(otlp: "ok" | "busy"): (req: RecordedRequest) => ScriptedReply {
  return (req) => {
    if (req.path === "/v1/traces") return otlp === "ok" ? { status: 200, body: {} } : { status: 503, body: { detail: "busy" } };
    if (req.path === START_TRACE) {
      const info = (JSON.parse(req.body) as { trace: { trace_info: { trace_id: string } } }).trace.trace_info;
      return {
        status: 200,
        body: { trace: { trace_info: { ...info, tags: { "mlflow.artifactLocation": `mlflow-artifacts:/1/traces/${info.trace_id}/artifacts` } } } },
      };
    }
    if (req.method === "PUT") return { status: 200, body: {} };
    return { status: 404, body: { error_code: "ENDPOINT_NOT_FOUND", message: "no" } };
  };
}

async function captureMlflow(name: string, otlp: "ok" | "busy", spansOnly: boolean, out: WireCapture): Promise<void> {
  const server = await startScriptedServer(mlflowServer(otlp));
  const client = new MlflowRestClient({ trackingUri: server.url, concurrency: 1, spansOnly });
  try {
    const result = await client.export(fixtureTraces(), { signal: AbortSignal.timeout(10_000) });
    if (result.failures.length > 0) throw new Error(`export failed: ${JSON.stringify(result.failures)}`);
    server.requests.forEach((req, i) => {
      out[`${name} ${i} ${req.method} ${req.path}`] = req.body;
    });
  } finally {
    await client.shutdown();
    await server.close();
  }
}

async function captureOtlp(protocol: "http/protobuf" | "http/json", attributeValues: "flat" | "native", out: WireCapture): Promise<void> {
  const collector = await startCollector();
  const client = new OtlpClient({ endpoint: `${collector.url}/v1/traces`, protocol, attributeValues, compression: "none" }, {});
  try {
    const result = await client.export(fixtureTraces(), { signal: AbortSignal.timeout(10_000) });
    if (result.failures.length > 0) throw new Error(`export failed: ${JSON.stringify(result.failures)}`);
    const body = collector.requests[0]?.body ?? Buffer.alloc(0);
    out[`otlp ${protocol} ${attributeValues}`] = protocol === "http/json" ? body.toString("utf8") : body.toString("base64");
  } finally {
    await client.shutdown();
    await collector.close();
  }
}

async function captureLocalStore(out: WireCapture): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-golden-"));
  try {
    const result = await new LocalStore({ dir, maxAgeDays: 1_000_000 }).export(fixtureTraces());
    if (result.failures.length > 0) throw new Error(`local store failed: ${JSON.stringify(result.failures)}`);
    for (const file of readdirSync(join(dir, "traces")).sort()) out[`local store ${file}`] = readFileSync(join(dir, "traces", file), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every client over the fixtures against loopback servers and returns what each request carried. */
export async function captureWire(): Promise<WireCapture> {
  const out: WireCapture = {};
  for (const trace of fixtureTraces()) {
    out[`traces.json via Trace.toJSON ${trace.info.traceId}`] = JSON.stringify({ spans: trace.toJSON().data.spans });
    out[`size stats ${trace.info.traceId}`] = JSON.stringify(traceSizeMetadata(trace.info.toJSON(), trace.data.spans));
  }
  await captureLocalStore(out);
  await captureMlflow("mlflow otlp", "ok", false, out);
  await captureMlflow("mlflow artifact", "busy", false, out);
  await captureMlflow("mlflow spans-only", "ok", true, out);
  await captureOtlp("http/protobuf", "flat", out);
  await captureOtlp("http/protobuf", "native", out);
  await captureOtlp("http/json", "flat", out);
  await captureOtlp("http/json", "native", out);
  return out;
}
