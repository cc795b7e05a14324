import { ChatMessage, ChatPromptBuilder, Pipeline, ToolCall } from "../../../lib/haystack";
import { getComponentInfo } from "../../../lib/haystack/component";

describe("ChatPromptBuilder (Haystack 3.4)", () => {
  it("renders the user and system texts of a message list, keeping name and meta, passing other roles through", () => {
    const call = new ToolCall({ id: "c", toolName: "t", arguments: {} });
    const template = [
      ChatMessage.fromSystem("Answer in {{ language }}.", { meta: { v: 1 } }),
      ChatMessage.fromAssistant("I said {{ nothing }}", { toolCalls: [call] }),
      ChatMessage.fromUser("{% for d in documents %}{{ d }}; {% endfor %}Q: {{ question }}", { name: "ada" }),
    ];
    const builder = new ChatPromptBuilder({ template });
    expect([...getComponentInfo(builder).inputs.keys()].sort()).toEqual(["documents", "language", "question", "template", "templateVariables"]);
    const { prompt } = builder.run({ language: "French", documents: ["a", "b"], question: "Why?" });
    expect(prompt.map((m) => m.toDict())).toEqual([
      { role: "system", meta: { v: 1 }, name: null, content: [{ text: "Answer in French." }] },
      template[1]!.toDict(),
      { role: "user", meta: {}, name: "ada", content: [{ text: "a; b; Q: Why?" }] },
    ]);
  });

  it("renders a string template's {% message %} blocks, loops around them included", () => {
    const builder = new ChatPromptBuilder({
      template: `{% message role="system" %}You help {{ user }}.{% endmessage %}
{% for q in questions %}{% message role="user" name="ada" %}
  {{ q }}
{% endmessage %}{% endfor %}`,
    });
    const { prompt } = builder.run({ user: "Ada", questions: ["one?", "two?"] });
    expect(prompt.map((m) => [m.role, m.name, m.text])).toEqual([
      ["system", null, "You help Ada."],
      ["user", "ada", "one?"],
      ["user", "ada", "two?"],
    ]);
  });

  it("refuses a {% message %} block that renders empty, as Haystack 3.4.1 does, instead of sending an empty message", () => {
    const builder = new ChatPromptBuilder({ template: '{% message role="system" %}Be brief.{% endmessage %}{% message role="user" %}{{ q }}{% endmessage %}' });
    expect(() => builder.run({ q: "  \n " })).toThrow(/\{% message role="user" %\} block rendered empty or only whitespace/);
    expect(builder.run({ q: "Hi" }).prompt.map((m) => m.text)).toEqual(["Be brief.", "Hi"]);
  });

  it("refuses text outside the {% message %} blocks of a string template rather than dropping it", () => {
    // Haystack 3.4.1 fails on it too (each rendered line must be a message).
    const builder = new ChatPromptBuilder({ template: 'Context: {{ c }}\n{% message role="user" %}Hi{% endmessage %}\n' });
    expect(() => builder.run({ c: "x" })).toThrow(/text outside its \{% message %\} blocks: "Context: x"/);
  });

  it("names what a {% message %} tag may carry when it has more than a literal role and name", () => {
    expect(() => new ChatPromptBuilder({ template: '{% message role="user" meta={"k": 1} %}Hi{% endmessage %}' })).toThrow(
      /role and an optional name as string literals; meta=\{\.\.\.\} and role or name expressions are not supported/,
    );
  });

  it("checks required variables only when the template has a user or system message to render, as Haystack does", () => {
    const builder = new ChatPromptBuilder({ template: [ChatMessage.fromAssistant("{{ x }}")], variables: ["x"] });
    expect(builder.run().prompt.map((m) => m.text)).toEqual(["{{ x }}"]);
  });

  it("requires every variable by default (3.x), or only the listed ones", () => {
    const template = [ChatMessage.fromUser("{{ a }} {{ b }}")];
    expect(() => new ChatPromptBuilder({ template }).run({ a: 1 })).toThrow(/Missing required input variables in ChatPromptBuilder: b/);
    expect(new ChatPromptBuilder({ template, requiredVariables: ["a"] }).run({ a: 1 }).prompt[0]!.text).toBe("1 ");
    expect(new ChatPromptBuilder({ template, requiredVariables: null }).run({}).prompt[0]!.text).toBe(" ");
  });

  it("takes a template at run time and names a missing one", () => {
    const builder = new ChatPromptBuilder({ requiredVariables: null });
    expect(builder.run({ template: [ChatMessage.fromUser("Hi {{ name }}")], templateVariables: { name: "Bo" } }).prompt[0]!.text).toBe("Hi Bo");
    expect(() => builder.run({})).toThrow(/has no template/);
    expect(() => new ChatPromptBuilder({ template: "no blocks here" })).toThrow(/needs \{% message role="user" %\}/);
  });

  it("feeds a chat generator's messages in a pipeline", async () => {
    const pipe = new Pipeline();
    pipe.addComponent("prompt", new ChatPromptBuilder({ template: [ChatMessage.fromUser("Hello {{ who }}")] }));
    const result = await pipe.run({ prompt: { who: "world" } });
    expect((result["prompt"] as { prompt: ChatMessage[] }).prompt[0]!.text).toBe("Hello world");
  });
});
