/**
 * Haystack 3.4's `ComponentTool`: any `@component` as a tool. Its parameters schema comes from the
 * component's input sockets (mandatory sockets are required; defaults are kept); the tool runs
 * `runAsync` when the component has one, else `run`, and returns the component's outputs.
 */
import { getComponentInfo } from "../component";
import type { JsonObject } from "../dataclasses/content-parts";
import type { ResolvedInputSocket } from "../sockets";
import { Tool, type OutputToStateConfig, type OutputToStringConfig } from "./tool";

/** Options of {@link ComponentTool}. */
export interface ComponentToolOptions {
  component: object;
  /** Default: the class name in snake_case (`WebSearch` → `web_search`), as Haystack. */
  name?: string;
  /** Default: `"Runs the <ClassName> component."`. */
  description?: string;
  /** Override the schema derived from the sockets. */
  parameters?: JsonObject;
  outputsToString?: OutputToStringConfig | Record<string, OutputToStringConfig>;
  inputsFromState?: Record<string, string>;
  outputsToState?: Record<string, OutputToStateConfig>;
}

const SCALARS: Record<string, string> = {
  str: "string",
  string: "string",
  int: "integer",
  float: "number",
  number: "number",
  bool: "boolean",
  boolean: "boolean",
  dict: "object",
  object: "object",
};

/** A JSON Schema for one socket type tag; unknown names (`Document`, `any`) leave the value unconstrained. */
export function schemaForType(type: string): JsonObject {
  const t = type.replace(/\s+/g, "");
  const optional = /^Optional\[(.*)\]$/.exec(t);
  if (optional) return schemaForType(optional[1]!);
  const members = t.split("|").filter((m) => m !== "None" && m !== "null");
  if (members.length > 1) return { anyOf: members.map(schemaForType) };
  const single = members[0] ?? "any";
  if (single.endsWith("[]")) return { type: "array", items: schemaForType(single.slice(0, -2)) };
  const list = /^(?:list|List|Sequence)\[(.*)\]$/.exec(single);
  if (list) return { type: "array", items: schemaForType(list[1]!) };
  if (single === "list" || single === "List") return { type: "array" };
  const scalar = SCALARS[single];
  return scalar === undefined ? {} : { type: scalar };
}

function socketsSchema(sockets: Iterable<ResolvedInputSocket>, fromState: ReadonlySet<string>): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const socket of sockets) {
    if (fromState.has(socket.name) || /callback/i.test(socket.name)) continue;
    const property: JsonObject = { ...schemaForType(socket.type), description: `Input '${socket.name}' for the component.` };
    if (socket.hasDefault && socket.default !== undefined) property["default"] = socket.default;
    properties[socket.name] = property;
    if (socket.mandatory) required.push(socket.name);
  }
  return required.length > 0 ? { type: "object", properties, required } : { type: "object", properties };
}

function snakeCase(className: string): string {
  return [...className]
    .map((c, i) => (c >= "A" && c <= "Z" && i > 0 && !(className[i - 1]! >= "A" && className[i - 1]! <= "Z") ? `_${c.toLowerCase()}` : c.toLowerCase()))
    .join("");
}

type Runnable = { run(inputs: Record<string, unknown>): unknown; runAsync?(inputs: Record<string, unknown>): unknown; warmUp?(): unknown };

/**
 * A component wrapped as a tool.
 *
 * @example
 * const search = new ComponentTool({ component: new InMemoryBM25Retriever({ documentStore }), name: "search", description: "Search the notes" });
 */
export class ComponentTool extends Tool {
  readonly component: object;

  constructor(options: ComponentToolOptions) {
    const info = getComponentInfo(options.component);
    const runnable = options.component as Runnable;
    const name = options.name ?? snakeCase(info.className);
    const toolOptions: ConstructorParameters<typeof Tool>[0] = {
      name,
      description: options.description ?? `Runs the ${info.className} component.`,
      parameters: options.parameters ?? socketsSchema(info.inputs.values(), new Set(Object.values(options.inputsFromState ?? {}))),
      function: async (args) => {
        await runnable.warmUp?.();
        return typeof runnable.runAsync === "function" ? runnable.runAsync(args) : runnable.run(args);
      },
    };
    if (options.outputsToString !== undefined) toolOptions.outputsToString = options.outputsToString;
    if (options.inputsFromState !== undefined) toolOptions.inputsFromState = options.inputsFromState;
    if (options.outputsToState !== undefined) toolOptions.outputsToState = options.outputsToState;
    super(toolOptions);
    this.component = options.component;
  }

  protected override get serializationType(): string {
    return "haystack.tools.component_tool.ComponentTool";
  }
}
