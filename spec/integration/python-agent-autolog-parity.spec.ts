/**
 * The parity agent (two tools, one failing once) traced by MLflow's own Python
 * `mlflow.haystack.autolog()` (haystack-ai 3.4.1 + opentelemetry-haystack, spec/support/python/
 * haystack_agent_autolog.py) and by ours, against one MLflow server and one scripted loopback
 * OpenAI server; both traces are read back with MLflow's Python client. What agrees is asserted
 * equal; every difference is asserted as observed on each side (the README's agent table lists them).
 * The first run installs the pinned venv (python/requirements-mlflow-haystack.txt, shared with the pipeline parity spec).
 */
import { randomBytes } from "node:crypto";
import * as mlflow from "../../lib/index";
import { resetExportConfig } from "../../lib/export/destination/config";
import { ChatMessage } from "../../lib/haystack/index";
import { runPythonJson } from "../support/mlflow-server";
import { readTraceWithPython, type PySpan, type PyTrace } from "../support/python-trace";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";
import { parityAgent, parityScript } from "./parity-agent";
import { ensureParityVenv, PARITY_PYTHON_ENV } from "../support/parity-venv";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const PYTHON_ENV = PARITY_PYTHON_ENV;

function summary(trace: PyTrace): string[] {
  const byId = new Map(trace.spans.map((s) => [s.span_id, s]));
  const depth = (s: PySpan): number => (s.parent_id === null ? 0 : 1 + depth(byId.get(s.parent_id)!));
  return trace.spans.map((s) => `${"  ".repeat(depth(s))}${s.name} (${s.span_type ?? "none"}) ${s.status.code}`);
}

describe("agent traces: MLflow's Python mlflow.haystack.autolog() and ours", () => {
  let server: OpenAIServer;
  let python: string;
  let py: PyTrace;
  let ts: PyTrace;

  beforeAll(async () => {
    python = ensureParityVenv();
    server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18" });
    const experiment = `agent-parity-${randomBytes(4).toString("hex")}`;
    server.setReply(parityScript());
    const { trace_id: pyId } = (await runPythonJson(python, "haystack_agent_autolog.py", [url, experiment, server.url], PYTHON_ENV)) as { trace_id: string };
    server.setReply(parityScript());
    resetExportConfig();
    mlflow.setTrackingUri(url);
    await mlflow.setExperiment(experiment);
    mlflow.haystack.autolog();
    try {
      await parityAgent(server.url).run({ messages: [ChatMessage.fromUser("Weather in Paris and the USD rate?")] });
      expect((await mlflow.flushTraces()).failed).toBe(0);
    } finally {
      mlflow.haystack.autolog({ disable: true });
    }
    const tsId = mlflow.getLastActiveTrace()!.info.traceId;
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    [py, ts] = await Promise.all([readTraceWithPython(url, pyId), readTraceWithPython(url, tsId)]);
  }, 600_000);

  afterAll(async () => server?.close());

  const depths = (t: PyTrace): number[] => summary(t).map((line) => line.search(/\S/) / 2);
  const attr = (span: PySpan, key: string): unknown => span.attributes[key];

  it("agrees on the tree's shape: one agent span, three steps, the LLM call and one span per tool call in each", () => {
    expect(depths(ts)).toEqual(depths(py));
    expect(depths(ts)).toEqual([0, 1, 2, 2, 2, 1, 2, 2, 1, 2]);
  });

  it("differs in names and types: Python keeps Haystack's operation names untyped; ours are typed and named", () => {
    expect(py.spans.map((s) => [s.name, s.span_type ?? null])).toEqual([
      ["haystack.agent.run", null],
      ["haystack.agent.step", null],
      ["haystack.agent.step.llm", null],
      ["haystack.agent.step.tool", null],
      ["haystack.agent.step.tool", null],
      ["haystack.agent.step", null],
      ["haystack.agent.step.llm", null],
      ["haystack.agent.step.tool", null],
      ["haystack.agent.step", null],
      ["haystack.agent.step.llm", null],
    ]);
    expect(ts.spans.map((s) => [s.name, s.span_type])).toEqual([
      ["agent", "AGENT"],
      ["step 1", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
      ["weather", "TOOL"],
      ["exchange_rate", "TOOL"],
      ["step 2", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
      ["exchange_rate", "TOOL"],
      ["step 3", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
    ]);
    // Python numbers steps from 0 (and its OTel bridge drops the 0); ours from 1.
    expect(py.spans.filter((s) => s.name === "haystack.agent.step").map((s) => attr(s, "haystack.agent.step") ?? null)).toEqual([null, 1, 2]);
    expect(ts.spans.filter((s) => s.name.startsWith("step ")).map((s) => attr(s, "haystack.agent.step"))).toEqual([1, 2, 3]);
  });

  it("agrees on each tool call's name, description, arguments and result; differs on how a failure shows", () => {
    const pyTools = py.spans.filter((s) => s.name === "haystack.agent.step.tool");
    const tsTools = ts.spans.filter((s) => s.span_type === "TOOL");
    expect(tsTools.map((s) => [s.name, attr(s, "haystack.tool.description"), s.inputs])).toEqual(
      pyTools.map((s) => [attr(s, "haystack.tool.name"), attr(s, "haystack.tool.description"), attr(s, "haystack.agent.step.tool.input")]),
    );
    expect(tsTools.map((s) => s.outputs ?? null)).toEqual(["22 degrees in Paris", null, { currency: "USD", rate: 1.08 }]);
    expect(pyTools.map((s) => attr(s, "haystack.agent.step.tool.output"))[0]).toBe("22 degrees in Paris");
    // The failed call: Python leaves the span UNSET with haystack.tool.error and the message in the output
    // attribute; ours is an ERROR span with an exception event carrying the same message.
    const [pyFailed, tsFailed] = [pyTools[1]!, tsTools[1]!];
    expect([pyFailed.status.code, attr(pyFailed, "haystack.tool.error")]).toEqual(["UNSET", true]);
    expect(tsFailed.status.code).toBe("ERROR");
    expect(tsFailed.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toBe(
      (attr(pyFailed, "haystack.agent.step.tool.output") as { error: string }).error,
    );
  });

  it("differs on the LLM spans: Python keeps Haystack dicts in attributes; ours is the OpenAI chat shape with usage", () => {
    const pyLlm = py.spans.filter((s) => s.name === "haystack.agent.step.llm");
    const tsLlm = ts.spans.filter((s) => s.span_type === "CHAT_MODEL");
    expect(
      pyLlm.every(
        (s) => s.inputs === null && s.outputs === null && attr(s, "mlflow.message.format") === undefined && attr(s, "mlflow.chat.tokenUsage") === undefined,
      ),
    ).toBe(true);
    const pyReplies = pyLlm.map((s) => (attr(s, "haystack.agent.step.llm.output") as { replies: { content: { text?: string }[] }[] }).replies[0]!);
    expect(tsLlm.map((s) => attr(s, "mlflow.message.format"))).toEqual(["openai", "openai", "openai"]);
    expect((tsLlm[2]!.outputs as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe(pyReplies[2]!.content[0]!.text);
    const pyUsage = pyLlm.map(
      (s) => (attr(s, "haystack.agent.step.llm.output") as { replies: { meta: { usage: { total_tokens: number } } }[] }).replies[0]!.meta.usage.total_tokens,
    );
    expect(tsLlm.map((s) => (attr(s, "mlflow.chat.tokenUsage") as { total_tokens: number }).total_tokens)).toEqual(pyUsage);
    // Token usage on the trace: none from Python, the sum of the LLM calls from ours.
    expect(py.info.token_usage).toBeNull();
    expect(ts.info.token_usage?.["total_tokens"]).toBe(pyUsage.reduce((a, b) => a + b, 0));
  });

  it("agrees on the agent span's run settings and step count; differs in the tools' form and the outputs", () => {
    const [pyAgent, tsAgent] = [py.spans[0]!, ts.spans[0]!];
    for (const key of ["haystack.agent.max_steps", "haystack.agent.exit_conditions", "haystack.agent.steps_taken"])
      expect(attr(tsAgent, key)).toEqual(attr(pyAgent, key));
    expect((attr(pyAgent, "haystack.agent.tools") as { data: { name: string } }[]).map((t) => t.data.name)).toEqual(attr(tsAgent, "haystack.agent.tools"));
    expect(attr(tsAgent, "haystack.agent.tool_call_counts")).toEqual({ weather: 1, exchange_rate: 2 });
    expect(attr(pyAgent, "haystack.agent.tool_call_counts")).toBeUndefined();
    expect(pyAgent.outputs).toBeNull();
    expect(tsAgent.outputs).toMatchObject({ step_count: 3, exit_reason: "text" });
    expect((attr(pyAgent, "haystack.agent.output") as { step_count: number }).step_count).toBe(3);
  });
});
