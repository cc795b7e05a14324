import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getComponentInfo } from "../../../lib/haystack/component";
import { PromptBuilder } from "../../../lib/haystack/components/prompt-builder";
import { Document } from "../../../lib/haystack/document";
import { component } from "../../../lib/haystack/component";
import { UndefinedError } from "../../../lib/haystack/components/jinja-undefined";
import { PipelineRuntimeError, PipelineValidationError } from "../../../lib/haystack/errors";
import { Pipeline } from "../../../lib/haystack/pipeline";

interface GoldenCase {
  name: string;
  template: string;
  variables: Record<string, unknown>;
  inferred: string[];
  expected?: string;
  error?: { type: string; message: string };
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected it to throw");
}

// Rendered by Python Jinja2 3.1 (SandboxedEnvironment) with prompt_builder_golden.py.
const golden = JSON.parse(readFileSync(join(__dirname, "../../support/fixtures/haystack/prompt-builder-golden.json"), "utf8")) as {
  documents: { content: string; meta: Record<string, unknown> }[];
  cases: GoldenCase[];
};
const documents = golden.documents.map((d) => new Document(d));

function inputsOf(builder: PromptBuilder): Record<string, { mandatory: boolean; type: string; default?: unknown }> {
  const out: Record<string, { mandatory: boolean; type: string; default?: unknown }> = {};
  for (const [name, socket] of getComponentInfo(builder).inputs) {
    out[name] = { mandatory: socket.mandatory, type: socket.type, ...(socket.hasDefault ? { default: socket.default } : {}) };
  }
  return out;
}

describe("PromptBuilder", () => {
  describe("renders like Python Jinja2", () => {
    it.each(golden.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const variables = Object.fromEntries(Object.entries(c.variables).map(([k, v]) => [k, v === "DOCS" ? documents : v]));
      const builder = new PromptBuilder({ template: c.template, requiredVariables: null });
      if (c.error === undefined) expect(builder.run(variables).prompt).toBe(c.expected);
      else expect(thrownBy(() => builder.run(variables))).toMatchObject({ name: c.error.type, message: c.error.message });
      expect([...builder.variables].sort()).toEqual(c.inferred);
    });
  });

  it("turns template variables into mandatory 'any' sockets by default (Haystack 3: requiredVariables '*') plus template overrides", () => {
    const builder = new PromptBuilder({ template: "{% for d in documents %}{{ d.content }}{% endfor %}{{ question }}" });
    expect(inputsOf(builder)).toEqual({
      template: { type: "str", mandatory: false },
      templateVariables: { type: "dict", mandatory: false },
      documents: { type: "any", mandatory: true },
      question: { type: "any", mandatory: true },
    });
    expect([...getComponentInfo(builder).outputs.keys()]).toEqual(["prompt"]);
    expect(() => builder.run({ documents: [] })).toThrow("Missing required input variables in PromptBuilder: question.");
  });

  it("prints a Document as Python's str(doc), alone, in a list and as a loop variable (haystack-ai 3.4.1)", () => {
    // python: PromptBuilder(<template>).run(documents=docs)["prompt"] with the same two Documents
    const docs = [
      new Document({ id: "1", content: "Paris is the capital of France.", meta: { lang: "en", page: 2 }, score: 0.5 }),
      new Document({ id: "2", content: "x".repeat(100), embedding: [0.1, 0.2] }),
    ];
    const first = "Document(id=1, content: 'Paris is the capital of France.', meta: {'lang': 'en', 'page': 2}, score: 0.5)";
    const second = `Document(id=2, content: '${"x".repeat(100)}...', embedding: vector of size 2)`;
    expect(new PromptBuilder({ template: "{{ documents }}" }).run({ documents: docs }).prompt).toBe(`[${first}, ${second}]`);
    expect(new PromptBuilder({ template: "{% for d in documents %}{{ d }}\n{% endfor %}" }).run({ documents: docs }).prompt).toBe(`${first}\n${second}\n`);
    expect(new PromptBuilder({ template: "{{ doc }}|{{ doc.content }}" }).run({ doc: docs[0] }).prompt).toBe(`${first}|Paris is the capital of France.`);
    expect(String(new Document({ id: "3", content: "x".repeat(99) }))).toBe(`Document(id=3, content: '${"x".repeat(99)}')`);
  });

  it("makes every variable optional with default '' when requiredVariables is null", () => {
    const builder = new PromptBuilder({ template: "{{ a }}-{{ b }}", requiredVariables: null });
    expect(inputsOf(builder)["a"]).toEqual({ type: "any", mandatory: false, default: "" });
    expect(builder.run({ b: 1 }).prompt).toBe("-1");
  });

  it("in a pipeline, does not run on a branch that was not taken, and a missing variable stops the run", async () => {
    @component({ inputs: { text: "str" }, outputs: { short: "str", long: "str" } })
    class Router {
      run({ text }: { text: string }) {
        return text.length < 5 ? { short: text } : { long: text };
      }
    }
    const pipe = new Pipeline()
      .addComponent("router", new Router())
      .addComponent("short_prompt", new PromptBuilder({ template: "short: {{ text }}" }))
      .addComponent("long_prompt", new PromptBuilder({ template: "long: {{ text }}" }));
    pipe.connect("router.short", "short_prompt.text").connect("router.long", "long_prompt.text");
    expect(await pipe.run({ router: { text: "hi" } })).toEqual({ short_prompt: { prompt: "short: hi" } });
    expect(await pipe.run({ router: { text: "hello there" } })).toEqual({ long_prompt: { prompt: "long: hello there" } });
    const alone = new Pipeline().addComponent("prompt", new PromptBuilder({ template: "{{ a }}{{ b }}" }));
    await expect(alone.run({ prompt: { a: 1 } })).rejects.toThrow(PipelineValidationError);
    await expect(alone.run({ prompt: { a: 1, templateVariables: {} } })).rejects.toThrow(/Missing mandatory input 'b' for component 'prompt'/);
    const runtime = new Pipeline().addComponent("prompt", new PromptBuilder({ template: "{{ a }}", variables: ["a", "b"], requiredVariables: ["a"] }));
    await expect(runtime.run({ prompt: { a: 1, template: "{{ a }}{{ c }}" } })).resolves.toEqual({ prompt: { prompt: "1" } });
  });

  it("fails a pipeline run on a template using an undefined value with Jinja2's UndefinedError as the cause (haystack-ai 3.4.1)", async () => {
    // python: Pipeline().add_component("prompt", PromptBuilder("{{ a.b.c }}")).run({"prompt": {"a": {}}}) raises
    // PipelineRuntimeError whose __cause__ is UndefinedError("'dict object' has no attribute 'b'")
    const pipe = new Pipeline().addComponent("prompt", new PromptBuilder({ template: "{{ a.b.c }}" }));
    const error = await pipe.run({ prompt: { a: {} } }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PipelineRuntimeError);
    expect((error as PipelineRuntimeError).componentName).toBe("prompt");
    expect((error as PipelineRuntimeError).cause).toBeInstanceOf(UndefinedError);
    expect((error as PipelineRuntimeError).cause).toMatchObject({ name: "UndefinedError", message: "'dict object' has no attribute 'b'" });
  });

  it("excludes loop variables, set targets, filters, tests and globals from the variables", () => {
    const builder = new PromptBuilder({
      template:
        "{% set sep = ', ' %}{% for i in range(n) %}{{ loop.index }}{{ i }}{% endfor %}" +
        "{{ items | join(sep) | default(fallback) }}{% if x is none %}{{ y.z[key] }}{% endif %}{{ obj.method(arg) }}",
    });
    expect(builder.variables).toEqual(["n", "items", "fallback", "x", "y", "key", "obj", "arg"]);
  });

  it("makes required variables mandatory sockets and names missing ones", () => {
    const builder = new PromptBuilder({ template: "{{ a }} {{ b }} {{ c }}", requiredVariables: ["a", "c"] });
    expect(inputsOf(builder)["a"]?.mandatory).toBe(true);
    expect(inputsOf(builder)["b"]?.mandatory).toBe(false);
    expect(() => builder.run({ b: 1 })).toThrow("Missing required input variables in PromptBuilder: a, c.");
  });

  it("treats requiredVariables '*' as every variable", () => {
    const builder = new PromptBuilder({ template: "{{ a }}{{ b }}", requiredVariables: "*" });
    expect(Object.values(inputsOf(builder)).filter((s) => s.mandatory)).toHaveLength(2);
    expect(() => builder.run({ a: 1 })).toThrow(/: b\./);
  });

  it("rejects a required variable the template does not use", () => {
    expect(() => new PromptBuilder({ template: "{{ question }}", requiredVariables: ["questoin"] })).toThrow(
      /requiredVariables names questoin, which the template does not use \(its variables: question\)/,
    );
  });

  it("uses an explicit variables list instead of the inferred one", () => {
    const builder = new PromptBuilder({ template: "{{ a }}", variables: ["a", "extra"] });
    expect(Object.keys(inputsOf(builder))).toEqual(["template", "templateVariables", "a", "extra"]);
  });

  it("lets templateVariables override socket values and a runtime template replace the template", () => {
    const builder = new PromptBuilder({ template: "Hi {{ name }}" });
    expect(builder.run({ name: "socket", templateVariables: { name: "override" } }).prompt).toBe("Hi override");
    expect(builder.run({ name: "Ada", template: "Bye {{ name }}" }).prompt).toBe("Bye Ada");
    expect(builder.run({ name: "Ada" }).prompt).toBe("Hi Ada");
  });

  it("renders Document fields but not their methods", () => {
    const builder = new PromptBuilder({ template: "{{ doc.content }}|{{ doc.meta['k'] }}|{{ doc.toDict }}|" });
    expect(builder.run({ doc: new Document({ content: "text", meta: { k: "v" } }) }).prompt).toBe("text|v||");
  });

  it("reports template syntax errors at construction", () => {
    expect(() => new PromptBuilder({ template: "{% for x in %}" })).toThrow(SyntaxError);
    expect(() => new PromptBuilder({} as { template: string })).toThrow(/needs a 'template' string/);
  });

  it("reports an unknown Jinja2 test at construction, as Jinja2 does at compile time", () => {
    expect(() => new PromptBuilder({ template: "{% if x is divisible(3) %}{% endif %}" })).toThrow("Invalid Jinja template: No test named 'divisible'.");
    expect(() => new PromptBuilder({ template: "{{ x is nope }}" })).toThrow(SyntaxError);
  });

  it("refuses what Jinja2 refuses in tests and format: chained bare tests, %d of text, a missing %(name)s", () => {
    expect(() => new PromptBuilder({ template: "{{ x is defined is true }}" })).toThrow("You cannot chain multiple tests with is");
    expect(new PromptBuilder({ template: "{{ (x is defined) is true }} {{ x is eq(1) is true }}", requiredVariables: null }).run({ x: 1 }).prompt).toBe(
      "True True",
    );
    const render = (template: string): string => new PromptBuilder({ template, requiredVariables: null }).run({}).prompt;
    expect(() => render("{{ '%d'|format('a') }}")).toThrow("%d format: a real number is required, not str");
    expect(() => render("{{ '%(a)s'|format(b=1) }}")).toThrow("KeyError: 'a'");
  });

  it("captures its options as init parameters", () => {
    const builder = new PromptBuilder({ template: "{{ q }}", requiredVariables: ["q"] });
    expect(getComponentInfo(builder).initParameters).toEqual({ template: "{{ q }}", requiredVariables: ["q"] });
    expect(getComponentInfo(builder).type).toBe("haystack.components.builders.prompt_builder.PromptBuilder");
  });
});
