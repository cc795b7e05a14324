// A stream event is recorded as the JSON of its snapshot; events the snapshot would leave unchanged
// skip the copy. Whatever the path, the recorded text must be the snapshot's.
import { configureTracing, getLastActiveTrace, type LiveSpan } from "../../../lib/index";
import { eventJson } from "../../../lib/autolog/openai/event-json";
import { openIntegrationSpan, snapshot } from "../../../lib/tracing/integration";

const chunk = (content: unknown, extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: undefined }],
  ...extra,
});

let deep: unknown = "deep";
for (let i = 0; i < 25; i++) deep = { d: deep };
const holes: unknown[] = [1, undefined];
holes[3] = 3;

class Delta {
  constructor(readonly content: string) {}
}

const EVENTS: readonly [string, unknown][] = [
  ["a chat chunk", chunk("Sunny ")],
  [
    "the usage chunk",
    { ...chunk(""), choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } } },
  ],
  ["a secret-named key", chunk("x", { api_key: "sk-LEAKED", tokens: 12 })],
  ["URL credentials in a string", chunk("see https://user:hunter2@example.com/x")],
  ["a secret query parameter", chunk("GET /v1?token=abc&page=2")],
  ["a long string", chunk("y".repeat(5_000))],
  ["non-finite numbers", chunk("z", { score: Number.NaN, rate: Number.POSITIVE_INFINITY })],
  ["a class instance", chunk(new Delta("d"))],
  ["an array with holes and undefined", chunk(holes)],
  ["deep nesting", chunk(deep)],
  ["a function and a bigint", chunk("f", { fn: () => 1, big: 10n })],
  ["strings JSON escapes", chunk('say "hi"\\ \n\t\u0001 \u2028 é 😀 \ud800 end')],
  ["keys JSON escapes, integer-like keys and -0", { 'a"b': 1, "2": -0, "1": [0.1, 1e21, -1e-7], "c\nd": false, nested: { "10": null, "9": "x" } }],
  ["a Responses API event", { type: "response.output_text.delta", item_id: "msg_1", output_index: 0, content_index: 0, delta: "Hi", sequence_number: 3 }],
];

const DEFAULT_LIMITS = { maxStringLength: 1_000_000, maxDepth: 20, maxCollectionItems: 10_000, maxValueLength: 4_000_000, maxSpanLength: 16_000_000 };

describe("recording a stream event", () => {
  it.each(EVENTS)("records %s as the JSON of its snapshot", (_name, event) => {
    expect(eventJson(event)).toBe(JSON.stringify(snapshot(event)));
  });

  it("records the snapshot's JSON under tight limits too (cut strings, depth, items, size)", () => {
    configureTracing({ maxStringLength: 8, maxDepth: 3, maxCollectionItems: 2, maxValueLength: 120 });
    try {
      for (const [, event] of EVENTS) expect(eventJson(event)).toBe(JSON.stringify(snapshot(event)));
      expect(eventJson({ a: "1234567", b: [1, 2] })).toBe(JSON.stringify(snapshot({ a: "1234567", b: [1, 2] })));
    } finally {
      configureTracing(DEFAULT_LIMITS);
    }
  });

  // The event's JSON skips the snapshot's copy; what the span records and counts must not change.
  describe("as a span event", () => {
    const record = (add: (span: LiveSpan, name: string, text: string) => void, texts: readonly string[]) => {
      const span = openIntegrationSpan({ name: "Completions", spanType: "CHAT_MODEL" })!;
      texts.forEach((text, i) => add(span, `mlflow.chunk.item.${i}`, text));
      const counted = span.countedBytes();
      span.end();
      const events = getLastActiveTrace()!.data.spans[0]!.events.map(({ name, attributes }) => ({ name, attributes }));
      return { events, counted };
    };
    const EVENTS: readonly unknown[] = [
      chunk("Sunny "),
      { content: "see https://user:hunter2@example.com/x?token=abc&page=2" },
      { content: "tab\token=abc" },
      { content: "z".repeat(300) },
    ];
    const add = (span: LiveSpan, name: string, text: string) => span.addEvent(name, { "mlflow.chunk.value": text });
    const viaSnapshot = (events: readonly unknown[]) =>
      record(
        add,
        events.map((e) => JSON.stringify(snapshot(e))),
      );
    const viaEventJson = (events: readonly unknown[]) => record(add, events.map(eventJson));

    afterEach(() => configureTracing(DEFAULT_LIMITS));

    it("records the events the snapshot's JSON records and counts the same size", () => {
      expect(viaEventJson(EVENTS)).toEqual(viaSnapshot(EVENTS));
    });

    it("cuts a text longer than maxStringLength, and events past maxSpanLength, as for the snapshot's JSON", () => {
      configureTracing({ maxStringLength: 100, maxSpanLength: 500 });
      const events = [...EVENTS, ...EVENTS, ...EVENTS];
      expect(viaEventJson(events)).toEqual(viaSnapshot(events));
    });

    it("masks the text under a secret-named key, as addEvent does", () => {
      const span = openIntegrationSpan({ name: "Completions", spanType: "CHAT_MODEL" })!;
      span.addEvent("e", { api_key: eventJson(EVENTS[0]) });
      span.end();
      expect(getLastActiveTrace()!.data.spans[0]!.events[0]!.attributes).toEqual({ api_key: "**********" });
    });
  });

  it("records a cyclic or throwing event as its snapshot does", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    const throwing = {
      get content(): string {
        throw new Error("trap");
      },
    };
    expect(eventJson(cyclic)).toBe(JSON.stringify(snapshot(cyclic)));
    expect(eventJson(throwing)).toBe(JSON.stringify(snapshot(throwing)));
  });
});
