/**
 * The same OpenAI calls traced by MLflow's own Python `mlflow.openai.autolog()` (mlflow 3.17.2 with the
 * parity venv's `openai`) and by `mlflow.openai.trace(client)`, against one MLflow server and one loopback
 * OpenAI-compatible server; every trace is read back with MLflow's Python client. What agrees is asserted
 * equal; the differences are asserted as observed on each side (the README's OpenAI table lists them).
 */
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import * as mlflow from "../../lib/index";
import { resetExportConfig } from "../../lib/export/destination/config";
import { runPythonJson } from "../support/mlflow-server";
import { readTraceWithPython, type PySpan } from "../support/python-trace";
import { startOpenAIServer, type MockChatRequest, type OpenAIServer } from "../support/openai-server";
import { ensureParityVenv, PARITY_PYTHON_ENV } from "../support/parity-venv";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const weather = {
  type: "function",
  function: {
    name: "weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const messages = [{ role: "user", content: "Weather in Paris?" }];
const CALLS = {
  chat: { method: "chat", body: { model: "gpt-4o-mini", messages, temperature: 0 } },
  chat_stream: { method: "chat", body: { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } } },
  chat_tools: { method: "chat", body: { model: "gpt-4o-mini", messages, tools: [weather] } },
  responses: { method: "responses", body: { model: "gpt-4o-mini", input: "Weather in Paris?" } },
  responses_stream: { method: "responses", body: { model: "gpt-4o-mini", input: "Weather in Paris?", stream: true } },
  embeddings: { method: "embeddings", body: { model: "text-embedding-3-small", input: ["Weather in Paris?"] } },
} as const;
type CallName = keyof typeof CALLS;

const reply = (request: MockChatRequest) =>
  Array.isArray(request["tools"]) ? { content: "", toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] } : "Sunny in Paris today.";

async function callWithTs(client: OpenAI, name: CallName): Promise<string> {
  const { method, body } = CALLS[name];
  const loose = body as never;
  const result: unknown =
    method === "chat"
      ? await client.chat.completions.create(loose)
      : method === "responses"
        ? await client.responses.create(loose)
        : await client.embeddings.create(loose);
  if ((body as { stream?: boolean }).stream === true) for await (const event of result as AsyncIterable<unknown>) void event;
  return mlflow.getLastActiveTraceId() ?? "";
}

describe("OpenAI calls: MLflow's Python mlflow.openai.autolog() and mlflow.openai.trace(client)", () => {
  let server: OpenAIServer;
  const py = new Map<CallName, PySpan>();
  const ts = new Map<CallName, PySpan>();
  const usage = new Map<CallName, { py: unknown; ts: unknown }>();

  beforeAll(async () => {
    const python = ensureParityVenv();
    server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", cachedTokens: 2, reply });
    const experiment = `openai-parity-${randomBytes(4).toString("hex")}`;
    const pyIds = (await runPythonJson(python, "openai_autolog.py", [url, experiment, server.url, JSON.stringify(CALLS)], PARITY_PYTHON_ENV)) as Record<
      CallName,
      string
    >;
    resetExportConfig();
    mlflow.setTrackingUri(url);
    await mlflow.setExperiment(experiment);
    const client = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 }));
    const tsIds: Partial<Record<CallName, string>> = {};
    for (const name of Object.keys(CALLS) as CallName[]) tsIds[name] = await callWithTs(client, name);
    expect((await mlflow.flushTraces()).failed).toBe(0);
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    for (const name of Object.keys(CALLS) as CallName[]) {
      const [p, t] = await Promise.all([readTraceWithPython(url, pyIds[name]), readTraceWithPython(url, tsIds[name]!)]);
      expect(p.spans).toHaveLength(1);
      expect(t.spans).toHaveLength(1);
      py.set(name, p.spans[0]!);
      ts.set(name, t.spans[0]!);
      usage.set(name, { py: p.info.token_usage, ts: t.info.token_usage });
    }
  }, 600_000);

  afterAll(async () => server?.close());

  const NAMES = Object.keys(CALLS) as CallName[];
  /** The value without nulls (Python's pydantic models list every field the client knows) and without ids that differ per call. */
  const plain = (value: unknown, depth = 0): unknown => {
    if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== null && !(k === "id" && typeof v === "string" && /mock/.test(v)) && k !== "output_text") out[k] = plain(v, depth + 1);
    return out;
  };
  const OURS_ONLY = ["mlflow.llm.provider", "openai.stream.end", "openai.stream.chunks", "openai.stream.chunk_events_dropped"];
  const PYTHON_ONLY: string[] = [];

  it.each(NAMES)("%s: same span name, type, status and inputs", (name) => {
    const [p, t] = [py.get(name)!, ts.get(name)!];
    expect([t.name, t.span_type, t.status.code]).toEqual([p.name, p.span_type, p.status.code]);
    expect(t.inputs).toEqual(p.inputs);
  });

  it.each(NAMES)("%s: same attributes (format, tools, model, token usage, cost, request fields); ours add the provider and stream bookkeeping", (name) => {
    const [p, t] = [py.get(name)!, ts.get(name)!];
    const keys = (span: PySpan, drop: string[]) =>
      Object.keys(span.attributes)
        .filter((k) => !drop.includes(k))
        .sort();
    expect(keys(t, OURS_ONLY)).toEqual(keys(p, PYTHON_ONLY));
    for (const key of keys(p, [...PYTHON_ONLY, "mlflow.traceRequestId", "mlflow.spanOutputs"]))
      expect([key, t.attributes[key]]).toEqual([key, p.attributes[key]]);
    expect(t.attributes["mlflow.llm.provider"]).toBe(new URL(server.url).host);
    expect([p.attributes["mlflow.spanLogLevel"], t.attributes["mlflow.spanLogLevel"]]).toEqual([20, 20]);
  });

  it("prices chat and Responses spans alike: ours on the client, Python's on the server", () => {
    for (const name of NAMES.filter((n) => n !== "embeddings")) {
      expect(ts.get(name)!.attributes["mlflow.llm.cost"]).toEqual({
        input_cost: expect.any(Number) as number,
        output_cost: expect.any(Number) as number,
        total_cost: expect.any(Number) as number,
      });
      expect(ts.get(name)!.attributes["mlflow.llm.cost"]).toEqual(py.get(name)!.attributes["mlflow.llm.cost"]);
    }
    expect(ts.get("chat")!.attributes["mlflow.chat.tokenUsage"]).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7, cache_read_input_tokens: 2 });
  });

  it("the same trace-level token usage, as MLflow's Python client reads it", () => {
    for (const name of NAMES) expect([name, usage.get(name)!.ts]).toEqual([name, usage.get(name)!.py]);
    expect(usage.get("chat")!.ts).toMatchObject({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  });

  it.each(NAMES.filter((n) => n !== "embeddings"))("%s: the same outputs once Python's null fields are set aside", (name) => {
    expect(plain(ts.get(name)!.outputs)).toEqual(plain(py.get(name)!.outputs));
  });

  it("embeddings: the same outputs, vectors included (both clients ask for base64 float32 and decode it)", () => {
    expect(plain(ts.get("embeddings")!.outputs)).toEqual(plain(py.get("embeddings")!.outputs));
    expect((ts.get("embeddings")!.outputs as { data: { embedding: number[] }[] }).data[0]!.embedding).toEqual([0.17000000178813934, 0, 0.5]);
  });

  it("streams: one mlflow.chunk.item.<i> event per chunk on both sides, carrying the same deltas", () => {
    const deltas = (span: PySpan): string[] =>
      span.events.map((e) => {
        const chunk = JSON.parse(String(e.attributes["mlflow.chunk.value"])) as {
          type?: string;
          delta?: string;
          choices?: { delta?: { content?: string | null } }[];
        };
        return chunk.type !== undefined ? `${chunk.type}:${chunk.delta ?? ""}` : (chunk.choices?.[0]?.delta?.content ?? "");
      });
    for (const name of ["chat_stream", "responses_stream"] as const) {
      const [p, t] = [py.get(name)!, ts.get(name)!];
      expect(t.events.map((e) => e.name)).toEqual(p.events.map((e) => e.name));
      expect(deltas(t)).toEqual(deltas(p));
    }
  });
});
