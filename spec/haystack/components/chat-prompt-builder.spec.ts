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
    // python: ValueError("Message content in template is empty or contains only whitespace characters. Content: '  \\n '")
    expect(() => builder.run({ q: "  \n " })).toThrow("Message content in template is empty or contains only whitespace characters. Content: '  \\n '");
    expect(builder.run({ q: "Hi" }).prompt.map((m) => m.text)).toEqual(["Be brief.", "Hi"]);
  });

  it("refuses text outside the {% message %} blocks of a string template rather than dropping it", () => {
    // Haystack 3.4.1 fails on it too (each rendered line must be a message).
    const builder = new ChatPromptBuilder({ template: 'Context: {{ c }}\n{% message role="user" %}Hi{% endmessage %}\n' });
    expect(() => builder.run({ c: "x" })).toThrow(/text outside its \{% message %\} blocks: "Context: x"/);
  });

  it("takes a role expression, a name and a meta dict of expressions, as haystack-ai 3.4.1's {% message %} tag does", () => {
    // python: ChatPromptBuilder(<template>).run(r="user", v="val")["prompt"][0].to_dict()
    const template = '{% message role=r name="bob" meta={"z": 1, "a": v|upper, "n": {"k": [1, none]}} %}Hi {{ v }}{% endmessage %}';
    const builder = new ChatPromptBuilder({ template });
    expect([...builder.variables].sort()).toEqual(["r", "v"]);
    expect(builder.run({ r: "user", v: "val" }).prompt.map((m) => m.toDict())).toEqual([
      { role: "user", meta: { z: 1, a: "VAL", n: { k: [1, null] } }, name: "bob", content: [{ text: "Hi val" }] },
    ]);
    expect(Object.keys(builder.run({ r: "user", v: "val" }).prompt[0]!.meta)).toEqual(["z", "a", "n"]);
    expect(builder.run({ r: "assistant", v: "x" }).prompt[0]!.toDict()).toMatchObject({ role: "assistant", name: "bob" });
    // python: ValueError("Unsupported role: bogus"); ValueError("Tool message must contain only one tool call result.")
    expect(() => builder.run({ r: "bogus", v: "x" })).toThrow("Unsupported role: bogus");
    expect(() => builder.run({ r: "tool", v: "x" })).toThrow("Tool message must contain only one tool call result.");
  });

  it.each([
    ['{% message role="bogus" %}x{% endmessage %}', "Role must be one of: user, system, assistant, tool"],
    ['{% message role="user" name=1 %}x{% endmessage %}', "name must be a string"],
    ['{% message role="user" meta=m %}x{% endmessage %}', "meta must be a dictionary"],
    ['{% message role="user" meta={"a": 1} name="bob" %}x{% endmessage %}', "expected token 'end of statement block', got 'name'"],
    ['{% message name="bob" role="user" %}x{% endmessage %}', "expected token 'role', got 'name'"],
    ['{% message role="user" foo="x" %}x{% endmessage %}', "expected token 'end of statement block', got 'foo'"],
    [
      '{% message role="user" %}x',
      "Unexpected end of template. Jinja was looking for the following tags: 'endmessage'. The innermost block that needs to be closed is 'message'.",
    ],
  ])("refuses the tag in %s with Jinja's TemplateSyntaxError message from haystack-ai 3.4.1", (template, message) => {
    expect(() => new ChatPromptBuilder({ template })).toThrow(new SyntaxError(message));
  });

  it("names the fix for a name that is not a string literal (haystack-ai 3.4.1 fails with an AttributeError)", () => {
    expect(() => new ChatPromptBuilder({ template: '{% message role="user" name=n %}x{% endmessage %}' })).toThrow(/name must be a string literal, got name=n/);
  });

  it("fails a pipeline run on a missing value used in a message with Jinja2's UndefinedError as the cause", async () => {
    const pipe = new Pipeline().addComponent("builder", new ChatPromptBuilder({ template: '{% message role="user" %}{{ a.b.c }}{% endmessage %}' }));
    await expect(pipe.run({ builder: { a: {} } })).rejects.toMatchObject({
      name: "PipelineRuntimeError",
      cause: { name: "UndefinedError", message: "'dict object' has no attribute 'b'" },
    });
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
