/**
 * Jinja2 templates with Python Jinja's defaults (`trim_blocks`/`lstrip_blocks` off, one trailing
 * newline dropped), on `@huggingface/jinja`'s low-level API: its `Template` class hard-codes the
 * chat-template whitespace settings, which change PromptBuilder output.
 */
import { describeValue } from "../../internal/describe-value";
import { Environment, parse, tokenize } from "@huggingface/jinja";
import { registerFilters, routeFilters } from "./jinja-filters";
import { PythonInterpreter } from "./jinja-interpreter";
import { rewriteTests } from "./jinja-test-syntax";
import { hasTest } from "./jinja-tests";
import { markDocuments, templateValue } from "./template-values";
import { undeclaredVariables } from "./template-variables";

type Program = ReturnType<typeof parse>;

function pythonRange(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new RangeError("range() arg 3 must not be zero");
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

const GLOBALS: Record<string, unknown> = {
  true: true,
  false: false,
  none: null,
  True: true,
  False: false,
  None: null,
  range: pythonRange,
};

/**
 * A compiled Jinja2 template: render with variables, and list the variables it reads.
 *
 * @example
 * const t = new JinjaTemplate("Hello {{ name }}!");
 * t.variables;               // ["name"]
 * t.render({ name: "Ada" }); // "Hello Ada!"
 */
export class JinjaTemplate {
  /** Variables the template reads from its context (not loop variables, not `{% set %}` targets). */
  readonly variables: readonly string[];
  private readonly program: Program;
  private readonly filters: ReadonlySet<string>;

  constructor(readonly source: string) {
    if (typeof source !== "string") {
      throw new TypeError(`A Jinja template must be a string, got ${describeValue(source)}.`);
    }
    try {
      this.program = parse(rewriteTests(tokenize(source, { trim_blocks: false, lstrip_blocks: false }), hasTest));
    } catch (err) {
      throw new SyntaxError(`Invalid Jinja template: ${(err as Error).message}`, { cause: err });
    }
    this.variables = Object.freeze(undeclaredVariables(this.program));
    this.filters = routeFilters(this.program);
  }

  /** Renders the template; missing variables render as empty text, and using one throws `UndefinedError`, as in Jinja2. */
  render(variables: Record<string, unknown> = {}): string {
    const env = new Environment();
    for (const [name, value] of Object.entries(GLOBALS)) env.set(name, value);
    registerFilters(env, this.filters);
    for (const [name, value] of Object.entries(variables)) {
      if (value !== undefined) markDocuments(value, env.set(name, templateValue(value)));
    }
    const result = new PythonInterpreter(env).run(this.program);
    return typeof result.value === "string" ? result.value : String(result.value);
  }
}
