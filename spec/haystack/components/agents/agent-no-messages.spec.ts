import { Agent, component } from "../../../../lib/haystack";

@component({ inputs: { messages: "list[ChatMessage]" }, outputs: { replies: "list[ChatMessage]" }, type: "spec.SilentGenerator" })
class SilentGenerator {
  run(): { replies: never[] } {
    return { replies: [] };
  }
}

describe("Agent with no messages at all", () => {
  it("runs and leaves last_message undefined, as Haystack leaves the key out, when no message was given, prompted or replied", async () => {
    const result = await new Agent({ chatGenerator: new SilentGenerator() }).run({ messages: [] });
    expect(result.messages).toEqual([]);
    expect(result.last_message).toBeUndefined();
    expect(result.exit_reason).toBe("text");
  });
});
