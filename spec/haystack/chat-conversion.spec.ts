import { ChatMessage, component, Pipeline, PipelineRuntimeError, PromptBuilder } from "../../lib/haystack";
import { checkCompatibility, convertValue } from "../../lib/haystack/type-compat";

@component({ inputs: { messages: "list[ChatMessage]" }, outputs: { replies: "list[ChatMessage]", reply: "ChatMessage" } })
class ScriptedChat {
  constructor(readonly options: { replies: (string | null)[] }) {}
  run({ messages }: { messages: ChatMessage[] }) {
    const replies = this.options.replies.map((text) =>
      ChatMessage.fromAssistant(text === null ? null : `${text} (${messages.length} in, first: ${messages[0]!.role} '${messages[0]!.text}')`),
    );
    return { replies, reply: replies[0] };
  }
}

@component({ inputs: { text: "str" }, outputs: { text: "str" } })
class Upper {
  run({ text }: { text: string }) {
    return { text: text.toUpperCase() };
  }
}

describe("str ↔ ChatMessage at a connection (Haystack 3.4 conversion strategies)", () => {
  it.each([
    ["str", "ChatMessage", "strToChatMessage"],
    ["ChatMessage", "str", "chatMessageToStr"],
    ["str", "list[ChatMessage]", "wrapStrToChatMessage"],
    ["ChatMessage", "list[str]", "wrapChatMessageToStr"],
    ["list[str]", "ChatMessage", "unwrapStrToChatMessage"],
    ["list[ChatMessage]", "str", "unwrapChatMessageToStr"],
    ["ChatMessage[]", "str|None", "unwrapChatMessageToStr"],
    ["str", "list[ChatMessage]|str", undefined],
  ])("%s -> %s converts with %s", (sender, receiver, strategy) => {
    const compat = checkCompatibility(sender, receiver);
    expect(compat.kind === "convert" ? compat.strategy : undefined).toBe(strategy);
  });

  it("turns a prompt into one user message and a one-reply list into its text", async () => {
    const pipe = new Pipeline();
    pipe.addComponent("prompt", new PromptBuilder({ template: "Capital of {{ country }}?" }));
    pipe.addComponent("chat", new ScriptedChat({ replies: ["Paris"] }));
    pipe.addComponent("upper", new Upper());
    pipe.connect("prompt.prompt", "chat.messages");
    pipe.connect("chat.replies", "upper.text");
    const result = await pipe.run({ prompt: { country: "France" } });
    expect(result["upper"]).toEqual({ text: "PARIS (1 IN, FIRST: USER 'CAPITAL OF FRANCE?')" });
  });

  it("fails the run, as Haystack does, for a reply list of two or a message without text", async () => {
    const two = new Pipeline();
    two.addComponent("chat", new ScriptedChat({ replies: ["a", "b"] }));
    two.addComponent("upper", new Upper());
    two.connect("chat.replies", "upper.text");
    await expect(two.run({ chat: { messages: [ChatMessage.fromUser("x")] } })).rejects.toThrow(PipelineRuntimeError);
    await expect(two.run({ chat: { messages: [ChatMessage.fromUser("x")] } })).rejects.toThrow(/cannot unwrap a list of 2 items/);
    expect(() => convertValue("chatMessageToStr", ChatMessage.fromAssistant(null))).toThrow(/has no text/);
  });
});
