/** Haystack 3.4's `Toolset`: a named group of tools, and the flattening every consumer does. */
import { describeValue } from "../../internal/describe-value";
import { Tool } from "./tool";

/**
 * A group of tools passed around as one (to a generator or an agent).
 *
 * @example
 * const math = new Toolset([add, multiply]);
 * new Agent({ chatGenerator, tools: [math, weather] });
 */
export class Toolset implements Iterable<Tool> {
  readonly #tools: Tool[];

  constructor(tools: Iterable<Tool> = []) {
    this.#tools = [];
    for (const tool of tools) this.add(tool);
  }

  /** Adds a tool, or every tool of another toolset; names must stay unique. */
  add(tool: Tool | Toolset): void {
    for (const t of tool instanceof Toolset ? [...tool] : [tool]) {
      if (!(t instanceof Tool)) throw new TypeError("A Toolset holds Tool instances (Tool, ComponentTool).");
      checkDuplicateToolNames([...this.#tools, t]);
      this.#tools.push(t);
    }
  }

  get length(): number {
    return this.#tools.length;
  }

  /** Haystack's `{ type, data: { tools } }` shape. */
  toDict(): { type: string; data: { tools: ReturnType<Tool["toDict"]>[] } } {
    return { type: "haystack.tools.toolset.Toolset", data: { tools: this.#tools.map((t) => t.toDict()) } };
  }

  [Symbol.iterator](): Iterator<Tool> {
    return this.#tools[Symbol.iterator]();
  }
}

/** What generators and agents accept as tools. */
export type ToolsType = readonly (Tool | Toolset)[] | Toolset;

/** Throws when two tools share a name (the model could not tell them apart). */
export function checkDuplicateToolNames(tools: readonly Tool[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const tool of tools) (seen.has(tool.name) ? duplicates : seen).add(tool.name);
  if (duplicates.size > 0) throw new TypeError(`Duplicate tool names found: ${[...duplicates].join(", ")}. Give each tool a unique name.`);
}

/** The tools of a list of tools and toolsets, in order, checked for duplicate names. */
export function flattenTools(tools: ToolsType | null | undefined): Tool[] {
  if (tools === null || tools === undefined) return [];
  const flat: Tool[] = [];
  for (const entry of tools instanceof Toolset ? [tools] : tools) {
    if (entry instanceof Toolset) flat.push(...entry);
    else if (entry instanceof Tool) flat.push(entry);
    else {
      const got: unknown = entry;
      throw new TypeError(`tools must be Tool or Toolset instances, got ${describeValue(got)}.`);
    }
  }
  checkDuplicateToolNames(flat);
  return flat;
}
