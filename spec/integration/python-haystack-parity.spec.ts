/**
 * Parity with MLflow's own Python Haystack integration: the same two pipeline shapes run in Python
 * Haystack under `mlflow.haystack.autolog()` (spec/support/python/haystack_autolog_trace.py) and in
 * ours, against the same MLflow server and loopback OpenAI server; both traces are read back with
 * MLflow's Python client. What agrees is asserted equal; every difference is asserted as observed
 * on each side, so this file documents them and fails when either side changes.
 *
 * The first run installs the pinned mlflow + haystack-ai into a cached virtualenv (about 100 s).
 */
import { randomBytes } from "node:crypto";
import * as mlflow from "../../lib/index";
import { resetExportConfig } from "../../lib/export/destination/config";
import { component, type InMemoryBM25Retriever, Pipeline } from "../../lib/haystack/index";
import { buildRagPipeline, template } from "../../samples/support/rag-pipeline";
import { runPythonJson } from "../support/mlflow-server";
import { ensureParityVenv, PARITY_PYTHON_ENV, pinOf } from "../support/parity-venv";
import { countMockTokens, startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const readerPython = process.env["MLFLOW_TEST_PYTHON"] ?? "";
const PYTHON_ENV = PARITY_PYTHON_ENV;
const REPLY = "Jean lives in Paris.";
const QUESTION = "Who lives in Paris?";
const MODEL = "gpt-4o-mini";
const SERVED_MODEL = "gpt-4o-mini-2024-07-18";
const CACHED_TOKENS = 6;

interface PySpan {
  name: string;
  span_id: string;
  parent_id: string | null;
  span_type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  status: { code: string };
  attributes: Record<string, unknown>;
}
interface PyTrace {
  info: { state: string; token_usage: Record<string, number> | null; trace_metadata: Record<string, string>; tags: Record<string, string> };
  spans: PySpan[];
}
interface Pair {
  py: PyTrace;
  ours: PyTrace;
}
type Dict = Record<string, unknown>;

@component({ inputs: { a: "int", b: "int" }, outputs: { sum: "int" } })
class Add {
  run({ a, b }: { a: number; b: number }): { sum: number } {
    return { sum: a + b };
  }
}

const named = (trace: PyTrace, name: string): PySpan => {
  const span = trace.spans.find((s) => s.name === name);
  if (span === undefined) throw new Error(`no span ${name} in [${trace.spans.map((s) => s.name).join(", ")}]`);
  return span;
};
const tree = (trace: PyTrace): [string, number][] => trace.spans.map((s) => [s.span_type, trace.spans.findIndex((p) => p.span_id === s.parent_id)]);
const records = (value: unknown): Dict[] => value as Dict[];

describe("traces of MLflow's Python Haystack integration and of ours, for the same pipelines", () => {
  let openai: OpenAIServer;
  let versions: Record<string, string>;
  let add: Pair;
  let rag: Pair;

  beforeAll(async () => {
    const python = ensureParityVenv();
    openai = await startOpenAIServer({ reply: () => REPLY, cachedTokens: CACHED_TOKENS, model: SERVED_MODEL });
    resetExportConfig();
    mlflow.setTrackingUri(url);
    const experiment = `python-parity-${randomBytes(4).toString("hex")}`;
    await mlflow.setExperiment(experiment);
    mlflow.haystack.autolog();

    const adder = new Pipeline();
    adder.addComponent("adder", new Add());
    await adder.run({ adder: { a: 1, b: 2 } });
    const oursAdd = mlflow.getLastActiveTrace()!.info.traceId;
    const ragPipe = buildRagPipeline(
      { generatorOptions: { model: MODEL, apiBaseUrl: openai.url, apiKey: "test" }, description: "loopback", offline: false, close: async () => undefined },
      { chat: true },
    );
    await ragPipe.run({ retriever: { query: QUESTION }, prompt_builder: { question: QUESTION } });
    const oursRag = mlflow.getLastActiveTrace()!.info.traceId;
    expect((await mlflow.flushTraces()).failed).toBe(0);

    const documents = (ragPipe.getComponent("retriever") as InMemoryBM25Retriever).documentStore.filterDocuments().map((d) => d.content);
    const ragSpec = JSON.stringify({ documents, template, question: QUESTION, model: MODEL });
    const py = (await runPythonJson(python, "haystack_autolog_trace.py", [url, experiment, openai.url, ragSpec], PYTHON_ENV)) as {
      add: string;
      rag: string;
      versions: Record<string, string>;
    };
    versions = py.versions;
    const read = (id: string) => runPythonJson(readerPython, "get_trace.py", [url, id]) as Promise<PyTrace>;
    const [pyAdd, ourAdd, pyRag, ourRag] = await Promise.all([read(py.add), read(oursAdd), read(py.rag), read(oursRag)]);
    add = { py: pyAdd, ours: ourAdd };
    rag = { py: pyRag, ours: ourRag };
  }, 15 * 60_000);

  afterAll(async () => {
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    await openai?.close();
  });

  it("runs the Python side on the pinned mlflow and haystack-ai, the same pins as the test server and the benchmark", () => {
    expect(versions).toEqual({
      mlflow: pinOf("requirements-mlflow-haystack.txt", "mlflow"),
      haystack: pinOf("requirements-mlflow-haystack.txt", "haystack-ai"),
    });
    expect(versions["mlflow"]).toBe(pinOf("requirements-mlflow.txt", "mlflow"));
    expect(versions["haystack"]).toBe(pinOf("requirements-haystack.txt", "haystack-ai"));
  });

  describe("the one-component Add pipeline of MLflow's own tests", () => {
    it("has the same span tree and types, a CHAIN haystack.pipeline.run over a TOOL, and an OK trace on both", () => {
      for (const trace of [add.py, add.ours]) {
        expect(tree(trace)).toEqual([
          ["CHAIN", -1],
          ["TOOL", 0],
        ]);
        expect(trace.spans[0]!.name).toBe("haystack.pipeline.run");
        expect(trace.info.state).toBe("OK");
        expect(trace.info.tags["mlflow.traceName"]).toBe("haystack.pipeline.run");
      }
    });

    it("names the component span by class in Python and by component name in ours, with the same name and type tags", () => {
      const [py, ours] = [add.py.spans[1]!, add.ours.spans[1]!];
      expect(py.name).toBe("Add");
      expect(ours.name).toBe("adder");
      for (const span of [py, ours]) {
        expect(span.attributes["haystack.component.name"]).toBe("adder");
        expect(span.attributes["haystack.component.type"]).toBe("Add");
        expect(span.attributes["haystack.component.visits"]).toBe(1);
      }
    });

    it("records the same pipeline and component inputs and outputs", () => {
      for (const trace of [add.py, add.ours]) {
        expect(trace.spans[0]!.inputs).toEqual({ adder: { a: 1, b: 2 } });
        expect(trace.spans[0]!.outputs).toEqual({ adder: { sum: 3 } });
        expect(trace.spans[1]!.inputs).toEqual({ a: 1, b: 2 });
        expect(trace.spans[1]!.outputs).toEqual({ sum: 3 });
      }
    });

    it("leaves span status UNSET in Python and sets OK in ours", () => {
      expect(add.py.spans.map((s) => s.status.code)).toEqual(["UNSET", "UNSET"]);
      expect(add.ours.spans.map((s) => s.status.code)).toEqual(["OK", "OK"]);
    });

    it("keeps Haystack's own tags in Python and our component metadata in ours", () => {
      const [py, ours] = [add.py.spans[1]!.attributes, add.ours.spans[1]!.attributes];
      expect(py["haystack.component.input"]).toEqual({ a: 1, b: 2 });
      expect(py["haystack.component.output"]).toEqual({ sum: 3 });
      expect(py["haystack.component.input_types"]).toEqual({ a: "int", b: "int" });
      expect(py["haystack.component.fully_qualified_type"]).toBe("__main__.Add");
      expect(py["haystack.component.input_spec"]).toEqual({ a: { type: "int", senders: [] }, b: { type: "int", senders: [] } });
      expect(py).not.toHaveProperty(["haystack.component.init_parameters"]);
      expect(ours["haystack.component.init_parameters"]).toEqual({});
      expect(ours["haystack.component.input_spec"]).toEqual({
        a: { name: "a", type: "int", mandatory: true, senders: [] },
        b: { name: "b", type: "int", mandatory: true, senders: [] },
      });
      for (const key of [
        "haystack.component.input",
        "haystack.component.output",
        "haystack.component.input_types",
        "haystack.component.fully_qualified_type",
      ]) {
        expect(ours).not.toHaveProperty([key]);
      }
      expect(add.py.spans[0]!.attributes["haystack.pipeline.input_data"]).toEqual({ adder: { a: 1, b: 2 } });
      // Haystack 3 records the pipeline's result and execution mode (2.31 recorded {} and no mode).
      expect(add.py.spans[0]!.attributes["haystack.pipeline.output_data"]).toEqual({ adder: { sum: 3 } });
      expect(add.py.spans[0]!.attributes["haystack.pipeline.execution_mode"]).toBe("sync");
      expect(add.ours.spans[0]!.attributes["haystack.pipeline.execution_mode"]).toBe("sync");
    });
  });

  describe("the seed's RAG pipeline (BM25 retriever, prompt builder, OpenAI chat generator)", () => {
    it("has the same span tree on both and an OK trace; the chat generator's span is LLM in Python and CHAT_MODEL in ours", () => {
      expect(tree(rag.py)).toEqual([
        ["CHAIN", -1],
        ["RETRIEVER", 0],
        ["TOOL", 0],
        ["LLM", 0],
      ]);
      expect(tree(rag.ours)).toEqual([
        ["CHAIN", -1],
        ["RETRIEVER", 0],
        ["TOOL", 0],
        ["CHAT_MODEL", 0],
      ]);
      for (const trace of [rag.py, rag.ours]) {
        expect(trace.spans[0]!.name).toBe("haystack.pipeline.run");
        expect(trace.info.state).toBe("OK");
      }
    });

    it("names component spans by class in Python and by component name in ours; both carry both in tags", () => {
      // Both run OpenAIChatGenerator (Haystack 3 removed OpenAIGenerator); PromptBuilder's str becomes one user message.
      expect(rag.py.spans.map((s) => s.name)).toEqual(["haystack.pipeline.run", "InMemoryBM25Retriever", "PromptBuilder", "OpenAIChatGenerator"]);
      expect(rag.ours.spans.map((s) => s.name)).toEqual(["haystack.pipeline.run", "retriever", "prompt_builder", "llm"]);
      for (const trace of [rag.py, rag.ours]) {
        expect(trace.spans.slice(1).map((s) => [s.attributes["haystack.component.name"], s.attributes["haystack.component.type"]])).toEqual([
          ["retriever", "InMemoryBM25Retriever"],
          ["prompt_builder", "PromptBuilder"],
          ["llm", "OpenAIChatGenerator"],
        ]);
      }
    });

    it("sends the same prompt to the LLM and records the same token counts on the LLM span and the trace; only ours keeps cached tokens", () => {
      expect(openai.requests).toHaveLength(2);
      const [oursRequest, pyRequest] = openai.requests.map((r) => r.body!);
      expect(pyRequest!.messages).toEqual(oursRequest!.messages);
      const prompt = (oursRequest!.messages ?? []).reduce((n, m) => n + countMockTokens(String(m.content)), 0);
      const counts = { input_tokens: prompt, output_tokens: countMockTokens(REPLY), total_tokens: prompt + countMockTokens(REPLY) };
      expect(named(rag.py, "OpenAIChatGenerator").attributes["mlflow.chat.tokenUsage"]).toEqual(counts);
      expect(rag.py.info.token_usage).toEqual(counts);
      expect(named(rag.ours, "llm").attributes["mlflow.chat.tokenUsage"]).toEqual({ ...counts, cache_read_input_tokens: CACHED_TOKENS });
      expect(rag.ours.info.token_usage).toEqual({ ...counts, cache_read_input_tokens: CACHED_TOKENS });
    });

    it("sets the model, provider and cost only in ours: Python's LLM span has no model for the server to price", () => {
      const [py, ours] = [named(rag.py, "OpenAIChatGenerator").attributes, named(rag.ours, "llm").attributes];
      for (const key of ["mlflow.llm.model", "mlflow.llm.provider", "mlflow.llm.cost"]) expect(py).not.toHaveProperty([key]);
      expect(rag.py.info.trace_metadata).not.toHaveProperty(["mlflow.trace.cost"]);
      expect(ours["mlflow.llm.model"]).toBe(SERVED_MODEL);
      expect(ours["mlflow.llm.provider"]).toBe("openai-compatible");
      expect(ours["mlflow.llm.cost"]).toMatchObject({ total_cost: expect.any(Number) });
      expect(JSON.parse(rag.ours.info.trace_metadata["mlflow.trace.cost"]!)).toEqual(ours["mlflow.llm.cost"]);
    });

    it("records the same retrieved documents; Python's Document dicts add blob and sparse_embedding", () => {
      const [py, ours] = [records(named(rag.py, "InMemoryBM25Retriever").outputs["documents"]), records(named(rag.ours, "retriever").outputs["documents"])];
      expect(ours.map((d) => [d["id"], d["content"], d["score"]])).toEqual(py.map((d) => [d["id"], d["content"], d["score"]]));
      expect(Object.keys(py[0]!).sort()).toEqual(["blob", "content", "embedding", "id", "score", "sparse_embedding"]);
      expect(Object.keys(ours[0]!).sort()).toEqual(["content", "embedding", "id", "score"]);
      expect(records(named(rag.ours, "prompt_builder").inputs["documents"])).toEqual(ours);
      expect(records(named(rag.py, "PromptBuilder").inputs["documents"])).toEqual(py);
    });

    it("records component inputs as passed in ours and with every socket (unset ones null, snake_case) in Python", () => {
      expect(named(rag.py, "InMemoryBM25Retriever").inputs).toEqual({ query: QUESTION, filters: null, top_k: null, scale_score: null });
      expect(named(rag.ours, "retriever").inputs).toEqual({ query: QUESTION });
      const prompt = named(rag.ours, "prompt_builder").outputs["prompt"];
      expect(named(rag.py, "PromptBuilder").outputs).toEqual({ prompt });
      expect(named(rag.py, "PromptBuilder").inputs).toMatchObject({ question: QUESTION, template: null, template_variables: null });
      expect(named(rag.ours, "prompt_builder").inputs).toEqual({ documents: expect.any(Array), question: QUESTION });
      expect(named(rag.py, "OpenAIChatGenerator").inputs).toEqual({
        messages: prompt,
        streaming_callback: null,
        generation_kwargs: null,
        tools: null,
        tools_strict: null,
      });
      expect(named(rag.ours, "llm").inputs).toEqual({ messages: prompt });
    });

    it("records the same reply ChatMessage dicts; only the usage dict differs, by the null fields Python's openai client adds", () => {
      const [py, ours] = [named(rag.py, "OpenAIChatGenerator").outputs, named(rag.ours, "llm").outputs];
      expect(Object.keys(py)).toEqual(["replies"]);
      expect(Object.keys(ours)).toEqual(["replies"]);
      const [pyReply, ourReply] = [records(py["replies"]), records(ours["replies"])].map((replies) => {
        expect(replies).toHaveLength(1);
        return replies[0]!;
      });
      expect(pyReply).toMatchObject({
        role: "assistant",
        name: null,
        content: [{ text: REPLY }],
        meta: { model: SERVED_MODEL, index: 0, finish_reason: "stop" },
      });
      const withoutUsage = (reply: Dict) => ({ ...reply, meta: { ...(reply["meta"] as Dict), usage: undefined } });
      expect(withoutUsage(ourReply!)).toEqual(withoutUsage(pyReply!));
      const [pyUsage, ourUsage] = [(pyReply!["meta"] as Dict)["usage"] as Dict, (ourReply!["meta"] as Dict)["usage"] as Dict];
      expect(ourUsage["prompt_tokens_details"]).toEqual({ cached_tokens: CACHED_TOKENS, audio_tokens: 0 });
      // The Python openai client adds the fields its models know, as null; ours keeps the server's JSON.
      expect(pyUsage).toMatchObject({
        prompt_tokens_details: { cache_write_tokens: null, image_tokens: null, text_tokens: null },
        completion_tokens_details: { text_tokens: null },
      });
      const dropNulls = (value: unknown): unknown =>
        typeof value === "object" && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([, v]) => v !== null)
                .map(([k, v]) => [k, dropNulls(v)]),
            )
          : value;
      expect(dropNulls(pyUsage)).toEqual(ourUsage);
    });

    it("gives the pipeline span the run's data and result in ours, and every component's I/O in Python", () => {
      const [py, ours] = [rag.py.spans[0]!, rag.ours.spans[0]!];
      const runData = { retriever: { query: QUESTION }, prompt_builder: { question: QUESTION } };
      expect(ours.inputs).toEqual(runData);
      expect(Object.keys(ours.outputs)).toEqual(["llm"]);
      expect(Object.keys(py.inputs)).toEqual(["retriever", "prompt_builder", "llm"]);
      expect(Object.keys(py.outputs)).toEqual(["retriever", "prompt_builder", "llm"]);
      expect(py.inputs["retriever"]).toEqual(named(rag.py, "InMemoryBM25Retriever").inputs);
      expect(records((py.outputs["llm"] as Dict)["replies"]).map((m) => (m["content"] as Dict[])[0]!["text"])).toEqual([REPLY]);
      expect(records((ours.outputs["llm"] as Dict)["replies"]).map((m) => (m["content"] as Dict[])[0]!["text"])).toEqual([REPLY]);
      expect(py.attributes["haystack.pipeline.input_data"]).toEqual(runData);
      expect(py.attributes["haystack.pipeline.output_data"]).toEqual({ llm: py.outputs["llm"] as Dict });
      expect(JSON.parse(rag.ours.info.trace_metadata["mlflow.traceInputs"]!)).toEqual(runData);
      expect(rag.py.info.trace_metadata["mlflow.traceInputs"]).toMatch(/^\{"retriever": \{"query": "Who lives in Paris\?", "filters": null, /);
    });

    it("describes sockets with Python typing names in Python and our type tags in ours", () => {
      const [py, ours] = [named(rag.py, "InMemoryBM25Retriever").attributes, named(rag.ours, "retriever").attributes];
      expect(Object.keys(py["haystack.component.input_spec"] as Dict)).toEqual(["query", "filters", "top_k", "scale_score"]);
      expect(Object.keys(ours["haystack.component.input_spec"] as Dict)).toEqual(["query", "filters", "topK", "scaleScore"]);
      expect(py["haystack.component.output_spec"]).toEqual({
        documents: { type: "list[haystack.dataclasses.document.Document]", receivers: ["prompt_builder"] },
      });
      expect(ours["haystack.component.output_spec"]).toEqual({
        documents: { name: "documents", type: "Document[]", mandatory: false, senders: [], receivers: ["prompt_builder.documents"] },
      });
      expect(py["haystack.component.fully_qualified_type"]).toBe("haystack.components.retrievers.in_memory.bm25_retriever.InMemoryBM25Retriever");
      expect(named(rag.ours, "llm").attributes["haystack.component.init_parameters"]).toMatchObject({ model: MODEL, apiKey: "**********" });
    });

    it("records the same user, source type, git and size metadata as Python", () => {
      const [py, ours] = [rag.py.info.trace_metadata, rag.ours.info.trace_metadata];
      expect(py["mlflow.source.name"]).toMatch(/haystack_autolog_trace\.py$/);
      expect(ours["mlflow.source.name"]).toEqual(expect.stringMatching(/\S/));
      for (const key of ["mlflow.user", "mlflow.source.type", "mlflow.source.git.commit", "mlflow.source.git.branch", "mlflow.source.git.repoURL"]) {
        expect([key, ours[key]]).toEqual([key, py[key]]);
      }
      for (const trace of [rag.py, rag.ours]) {
        const meta = trace.info.trace_metadata;
        const stats = JSON.parse(meta["mlflow.trace.sizeStats"] as string) as Record<string, number>;
        expect(stats["num_spans"]).toBe(trace.spans.length);
        expect(meta["mlflow.trace.sizeBytes"]).toBe(String(stats["total_size_bytes"]));
      }
    });
  });
});
