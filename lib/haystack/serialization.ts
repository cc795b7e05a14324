/**
 * Pipelines and components as plain dictionaries in Haystack's shape (snake_case keys), so a
 * pipeline can be saved as JSON and rebuilt from the `@component` registry.
 */
import { describeValue } from "../internal/describe-value";
import { getComponentInfo } from "./component";
import { lookupComponentClass, registeredComponentTypes } from "./component-registry";
import { SerializationError } from "./errors";
import type { PipelineGraph } from "./graph";
import { toPlainData } from "./init-parameters";

/** `{ type, init_parameters }`: one component. */
export interface ComponentDict {
  type: string;
  init_parameters: Record<string, unknown>;
  [key: string]: unknown;
}

/** A whole pipeline, as Haystack's `Pipeline.to_dict()` writes it. */
export interface PipelineDict {
  metadata: Record<string, unknown>;
  max_runs_per_component: number;
  components: Record<string, ComponentDict>;
  connections: { sender: string; receiver: string }[];
  connection_type_validation: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A component's dictionary: its own `toDict()` if it has one, else its registry type and the
 * captured init parameters.
 *
 * @example
 * componentToDict(new InMemoryBM25Retriever({ documentStore, topK: 5 }));
 */
export function componentToDict(instance: object): ComponentDict {
  const info = getComponentInfo(instance);
  const own = (instance as { toDict?: unknown }).toDict;
  if (typeof own !== "function") return { type: info.type, init_parameters: { ...info.initParameters } };
  const dict = toPlainData((own as () => unknown).call(instance));
  if (!isRecord(dict) || typeof dict["type"] !== "string") {
    throw new SerializationError(`${info.className}.toDict() must return { type: string, init_parameters: {...} }, got ${describeValue(dict)}.`);
  }
  return { ...dict, type: dict["type"], init_parameters: isRecord(dict["init_parameters"]) ? dict["init_parameters"] : {} };
}

/**
 * Rebuilds a component from its dictionary: the registered class's static `fromDict(dict)` when
 * it has one, else `new Class(init_parameters)`.
 *
 * @example
 * const retriever = componentFromDict({ type: "InMemoryBM25Retriever", init_parameters: { top_k: 5 } });
 */
export function componentFromDict(dict: unknown, name = "component"): object {
  if (!isRecord(dict) || typeof dict["type"] !== "string") {
    throw new SerializationError(`Component '${name}' must be { type: string, init_parameters?: {...} }, got ${describeValue(dict)}.`);
  }
  const cls = lookupComponentClass(dict["type"]);
  if (cls === undefined) {
    throw new SerializationError(
      `Component '${name}' has type '${dict["type"]}', which no @component class registered. Import the module that defines it ` +
        `(or set @component({ type: "${dict["type"]}" })). Registered types: ${registeredComponentTypes().join(", ") || "(none)"}.`,
    );
  }
  const fromDict = (cls as unknown as { fromDict?: unknown }).fromDict;
  try {
    if (typeof fromDict === "function") return (fromDict as (d: unknown) => object).call(cls, dict);
    return new cls(isRecord(dict["init_parameters"]) ? dict["init_parameters"] : {});
  } catch (error) {
    throw new SerializationError(`Could not create component '${name}' of type '${dict["type"]}': ${error instanceof Error ? error.message : String(error)}.`, {
      cause: error,
    });
  }
}

/** The dictionary of a pipeline graph. */
export function graphToDict(
  graph: PipelineGraph,
  options: { metadata: Record<string, unknown>; maxRunsPerComponent: number; connectionTypeValidation: boolean },
): PipelineDict {
  const components: Record<string, ComponentDict> = {};
  for (const node of graph.nodes.values()) components[node.name] = componentToDict(node.instance);
  const metadata = toPlainData(options.metadata);
  return {
    metadata: isRecord(metadata) ? metadata : {},
    max_runs_per_component: options.maxRunsPerComponent,
    components,
    connections: graph.edges.map((e) => ({ sender: `${e.sender}.${e.senderSocket.name}`, receiver: `${e.receiver}.${e.receiverSocket.name}` })),
    connection_type_validation: options.connectionTypeValidation,
  };
}

/** Checks the top-level shape of a pipeline dictionary. */
export function checkPipelineDict(data: unknown): asserts data is Partial<PipelineDict> & { components?: Record<string, unknown> } {
  if (!isRecord(data)) throw new SerializationError(`Expected a pipeline dictionary (an object), got ${describeValue(data)}.`);
  if (data["components"] !== undefined && !isRecord(data["components"])) {
    throw new SerializationError("Pipeline dictionary 'components' must be an object of name -> { type, init_parameters }.");
  }
  const connections = data["connections"];
  if (
    connections !== undefined &&
    !(Array.isArray(connections) && connections.every((c) => isRecord(c) && typeof c["sender"] === "string" && typeof c["receiver"] === "string"))
  ) {
    throw new SerializationError("Pipeline dictionary 'connections' must be a list of { sender: 'a.out', receiver: 'b.in' }.");
  }
}
