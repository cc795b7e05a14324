/**
 * An agent run under mlflow.haystack.autolog(), exported to a real MLflow server and read back with
 * MLflow's Python client: the agent → step → CHAT_MODEL/TOOL tree, the chat-view attributes, the
 * failed tool as an ERROR span, and token usage summed once on the trace.
 */
import { randomBytes } from "node:crypto";
import * as mlflow from "../../lib/index";
import { Agent, ChatMessage, OpenAIChatGenerator, Tool } from "../../lib/haystack/index";
import { resetExportConfig } from "../../lib/export/destination/config";
import { demoAgentTurn } from "../../samples/support/agent-model";
import { readTraceWithPython } from "../support/python-trace";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";

describe("agent traces in a real MLflow server, read by the Python client", () => {
  let openai: OpenAIServer;

  beforeAll(async () => {
    openai = await startOpenAIServer({ reply: demoAgentTurn, model: "gpt-4o-mini-2024-07-18", cachedTokens: 3 });
    resetExportConfig();
    mlflow.setTrackingUri(url);
    await mlflow.setExperiment(`agent-${randomBytes(4).toString("hex")}`);
    await mlflow.configureExport({ scheduledDelayMs: 50 });
    mlflow.haystack.autolog();
  });

  afterAll(async () => {
    mlflow.haystack.autolog({ disable: true });
    await mlflow.shutdownExport();
    mlflow.setTrackingUri(undefined);
    await openai.close();
  });

  it("keeps the span tree, span types, chat attributes, the failed tool and the token totals", async () => {
    const weather = new Tool({
      name: "weather",
      description: "Temperature of a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      function: ({ city }) => {
        if (city === "Oslo") throw new Error("no station in Oslo");
        return `It is ${city === "Paris" ? 21 : 17} °C in ${String(city)}.`;
      },
    });
    const calculator = new Tool({
      name: "calculator",
      description: "Arithmetic",
      parameters: { type: "object", properties: { expression: { type: "string" } } },
      function: () => "19",
    });
    const agent = new Agent({ chatGenerator: new OpenAIChatGenerator({ apiKey: "k", apiBaseUrl: openai.url, maxRetries: 0 }), tools: [weather, calculator] });
    const result = await agent.run({ messages: [ChatMessage.fromUser("Weather in Paris, Berlin and Oslo?")] });
    const local = mlflow.getLastActiveTrace()!;
    expect((await mlflow.flushTraces()).failed).toBe(0);
    const py = await readTraceWithPython(url, local.info.traceId);

    expect(py.spans.map((s) => [s.name, s.span_type])).toEqual([
      ["agent", "AGENT"],
      ["step 1", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
      ["weather", "TOOL"],
      ["weather", "TOOL"],
      ["weather", "TOOL"],
      ["step 2", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
      ["calculator", "TOOL"],
      ["step 3", "CHAIN"],
      ["OpenAIChatGenerator", "CHAT_MODEL"],
    ]);
    expect(py.spans.map((s) => s.parent_id)).toEqual(local.data.spans.map((s) => s.parentId));
    const oslo = py.spans.find((s) => s.name === "weather" && (s.inputs as { city?: string }).city === "Oslo")!;
    expect(oslo.status.code).toBe("ERROR");
    expect(oslo.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toMatch(/no station in Oslo/);
    expect(py.info.state).toBe("OK");

    const llm = py.spans.filter((s) => s.span_type === "CHAT_MODEL");
    expect(llm[0]!.attributes["mlflow.message.format"]).toBe("openai");
    expect((llm[0]!.attributes["mlflow.chat.tools"] as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(["weather", "calculator"]);
    expect(llm[1]!.inputs).toMatchObject({
      messages: [
        { role: "user" },
        { role: "assistant", tool_calls: [{ function: { name: "weather" } }, {}, {}] },
        { role: "tool" },
        { role: "tool" },
        { role: "tool" },
      ],
    });
    expect(llm[2]!.outputs).toMatchObject({ choices: [{ message: { role: "assistant", content: result.last_message!.text } }] });

    const perSpan = llm.map((s) => (s.attributes["mlflow.chat.tokenUsage"] as { total_tokens: number }).total_tokens);
    expect(py.info.token_usage?.["total_tokens"]).toBe(perSpan.reduce((a, b) => a + b, 0));
    expect(py.info.token_usage?.["total_tokens"]).toBe(result.token_usage["total_tokens"]);
    expect(py.spans[0]!.attributes).toMatchObject({ "haystack.agent.steps_taken": 3, "haystack.agent.tool_call_counts": { weather: 3, calculator: 1 } });
    expect(py.info.trace_metadata["haystack.agent.step_count"]).toBe("3");
  });
});
