/**
 * The agent span's inputs and outputs are composed instead of walked: the record must be what
 * snapshotting the whole value gives, with the same counted length, or the composition declines.
 */
import * as mlflow from "../../lib/index";
import { ChatMessage, ToolCall } from "../../lib/haystack/index";
import { composeMessageRecord } from "../../lib/autolog/message-record";
import { snapshot } from "../../lib/tracing/integration";
import { lastSnapshotLength } from "../../lib/tracing/serialize";

const DEFAULTS = { maxStringLength: 1_000_000, maxDepth: 20, maxCollectionItems: 10_000, maxValueLength: 4_000_000 };
afterEach(() => mlflow.configureTracing(DEFAULTS));

function agentOutputs(extra: { meta?: Record<string, unknown>; args?: Record<string, unknown>; question?: string } = {}): Record<string, unknown> {
  const usage = { prompt_tokens: 120, completion_tokens: 20, total_tokens: 140, prompt_tokens_details: { cached_tokens: 0 } };
  const meta = { model: "gpt-4o-mini-2024-07-18", index: 0, finish_reason: "tool_calls", usage, ...extra.meta };
  const a = new ToolCall({ id: "a", toolName: "lookup", arguments: { q: "x", nested: { list: [1, "two", { three: 3 }] } } });
  const b = new ToolCall({ id: "b", toolName: "lookup", arguments: { q: "y", ...extra.args } });
  const messages = [
    ChatMessage.fromSystem("Be brief."),
    ChatMessage.fromUser(extra.question ?? "What is 6 times 7?"),
    ChatMessage.fromAssistant(null, { toolCalls: [a, b], meta }),
    ChatMessage.fromTool("result for x", a),
    ChatMessage.fromTool("result for y", b, { error: true }),
    ChatMessage.fromAssistant("The answer is 42.", { meta: { ...meta, finish_reason: "stop" }, reasoning: "It is always 42." }),
  ];
  return {
    messages,
    last_message: messages[messages.length - 1],
    step_count: 2,
    token_usage: { prompt_tokens: 240, completion_tokens: 40 },
    tool_call_counts: { lookup: 2 },
    exit_reason: "text",
    absent: undefined,
  };
}

/** What the span records: the composition, else the whole value snapshotted. */
function recorded(outputs: unknown): { value: unknown; used: number; composed: boolean } {
  const composed = composeMessageRecord(outputs);
  if (composed !== undefined) return { value: composed.value, used: composed.used, composed: true };
  return { value: snapshot(outputs), used: lastSnapshotLength(), composed: false };
}

/** Whether the record was composed; it must equal the whole value snapshotted, and count as many chars. */
function expectAsSnapshotted(outputs: unknown): boolean {
  const whole = snapshot(outputs);
  const wholeLength = lastSnapshotLength();
  const got = recorded(outputs);
  expect(JSON.stringify(got.value)).toBe(JSON.stringify(whole));
  expect(got.used).toBe(wholeLength);
  return got.composed;
}

describe("composeMessageRecord", () => {
  it("gives the agent's outputs exactly as snapshotting them whole, counted alike, with credentials in text redacted", () => {
    expect(expectAsSnapshotted(agentOutputs())).toBe(true);
    const withCredentials = agentOutputs({ question: "What is at https://user:pw@example.com/?api_key=k1234?" });
    expect(expectAsSnapshotted(withCredentials)).toBe(true);
    expect(JSON.stringify(recorded(withCredentials).value)).not.toContain("k1234");
  });

  it("shows a message's metadata as it is now, not as it was when the message was first recorded", () => {
    const outputs = agentOutputs();
    expectAsSnapshotted(outputs);
    const last = outputs["last_message"] as ChatMessage;
    last.meta["finish_reason"] = "length";
    (last.meta["usage"] as Record<string, number>)["completion_tokens"] = 99;
    expect(expectAsSnapshotted(outputs)).toBe(true);
    expect(JSON.stringify(recorded(outputs).value)).toContain('"finish_reason":"length"');
  });

  it("declines when a limit would cut, so the whole value is snapshotted", () => {
    for (const limits of [{ maxStringLength: 10 }, { maxCollectionItems: 3 }, { maxValueLength: 600 }]) {
      mlflow.configureTracing({ ...DEFAULTS, ...limits });
      expect(expectAsSnapshotted(agentOutputs())).toBe(false);
    }
  });

  it("applies the depth limit where the walker does, one level below each message", () => {
    const composedAt: number[] = [];
    for (let maxDepth = 1; maxDepth <= 13; maxDepth++) {
      mlflow.configureTracing({ ...DEFAULTS, maxDepth });
      if (expectAsSnapshotted(agentOutputs())) composedAt.push(maxDepth);
    }
    // The deepest object sits at depth 11: outputs, messages, a tool message, its dict, content,
    // the part, the result, its origin (the call), arguments, nested, list, the item.
    expect(composedAt).toEqual([12, 13]);
  });

  it("declines, and the walker redacts, when metadata, tool arguments or the outputs have a secret-named key", () => {
    expect(expectAsSnapshotted(agentOutputs({ meta: { api_key: "sk-live-123456" } }))).toBe(false);
    expect(expectAsSnapshotted(agentOutputs({ args: { password: "hunter22" } }))).toBe(false);
    expect(JSON.stringify(snapshot(agentOutputs({ args: { password: "hunter22" } })))).not.toContain("hunter22");
    expect(expectAsSnapshotted({ ...agentOutputs(), session_token: "abc" })).toBe(false);
    expect(JSON.stringify(snapshot(agentOutputs({ meta: { api_key: "sk-live-123456" } })))).not.toContain("sk-live");
  });

  it("leaves a message whose metadata points back at the record to the walker, which marks the cycle", () => {
    const meta: Record<string, unknown> = {};
    const message = ChatMessage.fromUser("hi", { meta });
    meta["self"] = message;
    meta["when"] = new Map([["again", message]]);
    expect(expectAsSnapshotted({ messages: [message] })).toBe(false);
    expect(JSON.stringify(recorded({ messages: [message] }).value)).toContain('"self":"[Circular]"');
  });

  it("counts redacted text as the walker does, so a cut near maxValueLength matches too", () => {
    for (let max = 120; max <= 150; max++) {
      mlflow.configureTracing({ ...DEFAULTS, maxValueLength: max });
      expectAsSnapshotted({ messages: [ChatMessage.fromUser("?token=a&token=b&token=c&token=d")], tail: "x".repeat(20) });
    }
  });

  it("leaves values without messages, and message subclasses, to the walker, and declines on a throwing getter", () => {
    expect(composeMessageRecord({ step_count: 1 })).toBeUndefined();
    expect(composeMessageRecord([ChatMessage.fromUser("hi")])).toBeUndefined();
    class Custom {
      toJSON(): unknown {
        return { custom: true };
      }
    }
    expect(expectAsSnapshotted({ messages: [ChatMessage.fromUser("hi"), new Custom(), null, 3], other: new Custom() })).toBe(false);
    // The walker calls a record's own toJSON: so does the record, never composing around it.
    expect(expectAsSnapshotted({ messages: [ChatMessage.fromUser("hi")], toJSON: () => ({ note: "custom" }) })).toBe(false);
    const throwing = Object.defineProperty({ messages: [ChatMessage.fromUser("hi")] }, "broken", {
      enumerable: true,
      get: () => {
        throw new Error("no");
      },
    });
    expect(expectAsSnapshotted(throwing)).toBe(false);
  });
});
