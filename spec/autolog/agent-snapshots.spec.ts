/**
 * The agent's LLM spans record the conversation so far at every step; each message's OpenAI form
 * is made once per run and reused, with the same record as converting it at every step.
 */
import * as mlflow from "../../lib/index";
import type { Span, Trace } from "../../lib/index";
import { Agent, ChatMessage, component, Tool, ToolCall } from "../../lib/haystack/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { truncateString } from "../../lib/tracing/serialize";

const meta = (finish: string) => ({
  model: "gpt-4o-mini-2024-07-18",
  index: 0,
  finish_reason: finish,
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
});
const call = (id: string, q: string) => new ToolCall({ id, toolName: "lookup", arguments: { q } });

/** Two parallel tool calls, then one, then a text answer: 3 LLM calls, 7 messages in the end. */
@component({ inputs: { messages: "list[ChatMessage]", tools: { type: "any", optional: true } }, outputs: { replies: "list[ChatMessage]" } })
class ScriptedChatGenerator {
  readonly model = "gpt-4o-mini";
  async run({ messages }: { messages: ChatMessage[] }): Promise<{ replies: ChatMessage[] }> {
    const results = messages.filter((m) => m.role === "tool").length;
    if (results === 0) return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("a", "x"), call("b", "y")], meta: meta("tool_calls") })] };
    if (results === 2) return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("c", "z")], meta: meta("tool_calls") })] };
    return { replies: [ChatMessage.fromAssistant("The answer is 42.", { meta: meta("stop") })] };
  }
}

const lookup = new Tool({
  name: "lookup",
  description: "Looks something up",
  parameters: { type: "object", properties: { q: { type: "string" } } },
  function: ({ q }) => `result for ${String(q)}`,
});

async function tracedRun(messages: ChatMessage[]): Promise<{ spans: Span[]; all: ChatMessage[] }> {
  const traces: Trace[] = [];
  const stop = addTraceSink({ onTraceCompleted: (t) => traces.push(t) });
  try {
    const result = await new Agent({ chatGenerator: new ScriptedChatGenerator(), tools: [lookup] }).run({ messages });
    return { spans: traces[0]!.data.spans.filter((s) => s.spanType === "CHAT_MODEL"), all: result.messages };
  } finally {
    stop();
  }
}

const openAI = (m: ChatMessage): unknown => m.toOpenAIDictFormat({ requireToolCallIds: false });

beforeEach(() => mlflow.haystack.autolog());
afterEach(() => {
  jest.restoreAllMocks();
  mlflow.haystack.autolog({ disable: true });
  mlflow.configureTracing({ maxStringLength: 1_000_000 });
});

describe("agent LLM spans and the conversation so far", () => {
  it("convert each message to its OpenAI form once per run, and record every step's messages and reply", async () => {
    const convert = jest.spyOn(ChatMessage.prototype, "toOpenAIDictFormat");
    const { spans, all } = await tracedRun([ChatMessage.fromUser("What is the answer?")]);
    expect(convert).toHaveBeenCalledTimes(all.length); // 7 messages; 14 conversions when each step converted them again
    convert.mockRestore();
    const seen = [1, 4, 6]; // messages each LLM call saw: the question; + a reply and 2 results; + a reply and 1 result
    expect(spans.map((s) => (s.inputs as { messages: unknown[] }).messages)).toEqual(seen.map((n) => all.slice(0, n).map(openAI)));
    expect(spans.map((s) => (s.outputs as { choices: { message: unknown }[] }).choices[0]!.message)).toEqual(seen.map((n) => openAI(all[n]!)));
    expect(spans[2]!.inputs).toMatchObject({ model: "gpt-4o-mini", tools: [{ type: "function", function: { name: "lookup" } }] });
  });

  it("cut messages by the limits in force at each step, a message reused under new limits included", async () => {
    const question = ChatMessage.fromUser("What is the answer?");
    mlflow.configureTracing({ maxStringLength: 10 });
    const cut = await tracedRun([question]);
    expect(cut.spans.map((s) => (s.inputs as { messages: { content?: unknown }[] }).messages[0]!.content)).toEqual(
      Array(3).fill(truncateString("What is the answer?", 10)),
    );
    mlflow.configureTracing({ maxStringLength: 1_000_000 });
    const whole = await tracedRun([question]);
    expect((whole.spans[2]!.inputs as { messages: unknown[] }).messages).toEqual(whole.all.slice(0, 6).map(openAI));
  });
});

describe("the agent's tools list", () => {
  it("is snapshotted once per tool schema and recorded on the agent span and on every LLM span, inputs and attributes", async () => {
    let reads = 0;
    const properties = { q: { type: "string" } };
    const parameters = {
      type: "object",
      get properties() {
        reads++;
        return properties;
      },
    };
    const counted = new Tool({ name: "lookup", description: "Looks something up", parameters, function: ({ q }) => `result for ${String(q)}` });
    const run = () =>
      new Agent({ chatGenerator: new ScriptedChatGenerator(), tools: [counted] }).run({ messages: [ChatMessage.fromUser("What is the answer?")] });
    // The schema validator reads the schema too: count what a traced run reads beyond an untraced one.
    mlflow.haystack.autolog({ disable: true });
    await run();
    reads = 0;
    await run();
    const untraced = reads;
    mlflow.haystack.autolog();
    const traces: Trace[] = [];
    const stop = addTraceSink({ onTraceCompleted: (t) => traces.push(t) });
    reads = 0;
    try {
      await run();
    } finally {
      stop();
    }
    expect(reads - untraced).toBe(1); // 7 when the agent span and each LLM span (inputs and attributes) snapshotted the list again
    const expected = [{ type: "function", function: { name: "lookup", description: "Looks something up", parameters: { type: "object", properties } } }];
    const spans = traces[0]!.data.spans;
    const agent = spans.find((s) => s.spanType === "AGENT")!;
    expect(agent.attributes["mlflow.chat.tools"]).toEqual(expected);
    const llm = spans.filter((s) => s.spanType === "CHAT_MODEL");
    expect(llm).toHaveLength(3);
    for (const s of llm) {
      expect(s.attributes["mlflow.chat.tools"]).toEqual(expected);
      expect((s.inputs as { tools: unknown }).tools).toEqual(expected);
    }
  });
});
