/**
 * Building a pipeline: options, components, connections and descriptions of its open inputs and
 * outputs. Running lives in `pipeline.ts`; this class never executes a component.
 */
import { inspect } from "node:util";
import { describeValue } from "../internal/describe-value";
import { getComponentInfo, isComponent } from "./component";
import { parseConnectString, resolveConnection } from "./connect";
import { PipelineConnectError, PipelineError, PipelineValidationError } from "./errors";
import { createNode, PipelineGraph, type ComponentNode, type Edge } from "./graph";
import { pipelineText } from "./pipeline-text";
import { isListType } from "./type-compat";

/**
 * Options of a pipeline.
 *
 * @example
 * new Pipeline({ metadata: { name: "rag" }, maxRunsPerComponent: 10 });
 */
export interface PipelineOptions {
  /** Free-form data; `metadata.name` names the pipeline in traces. */
  metadata?: Record<string, unknown>;
  /** How often one component may run in one `run` (default 100); more throws. */
  maxRunsPerComponent?: number;
  /** Check socket types in `connect` (default true). */
  connectionTypeValidation?: boolean;
}

/** One open socket, as listed by {@link PipelineBase.inputs} / {@link PipelineBase.outputs}. */
export interface PipelineSocketInfo {
  type: string;
  mandatory: boolean;
  default?: unknown;
}

const OWNER = Symbol.for("mlflow-haystack.haystack.pipeline-owner.v0");
type Owned = { [OWNER]?: object };

let graphAccessor: (pipeline: PipelineBase) => PipelineGraph;

/** The graph of a pipeline (framework-internal). */
export function graphOf(pipeline: PipelineBase): PipelineGraph {
  return graphAccessor(pipeline);
}

/**
 * The pipeline's structure. Use {@link Pipeline} (sequential) or {@link AsyncPipeline}.
 *
 * @example
 * const pipe = new Pipeline();
 * pipe.addComponent("a", new Adder()).addComponent("b", new Adder()).connect("a.sum", "b.a");
 */
export class PipelineBase {
  readonly metadata: Record<string, unknown>;
  readonly maxRunsPerComponent: number;
  readonly connectionTypeValidation: boolean;
  readonly #graph = new PipelineGraph();

  static {
    graphAccessor = (pipeline) => pipeline.#graph;
  }

  constructor(options: PipelineOptions = {}) {
    const { metadata = {}, maxRunsPerComponent = 100, connectionTypeValidation = true } = options;
    if (!Number.isInteger(maxRunsPerComponent) || maxRunsPerComponent < 1) {
      throw new PipelineError(`Expected maxRunsPerComponent to be an integer >= 1, got ${describeValue(maxRunsPerComponent)}.`);
    }
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      throw new PipelineError(`Expected metadata to be an object, got ${describeValue(metadata)}.`);
    }
    this.metadata = metadata;
    this.maxRunsPerComponent = maxRunsPerComponent;
    this.connectionTypeValidation = connectionTypeValidation;
  }

  /**
   * Adds a component under a unique name (no `.`, not `_debug`). An instance belongs to one
   * pipeline at a time.
   */
  addComponent(name: string, instance: object): this {
    const graph = this.#graph;
    if (typeof name !== "string" || name.length === 0 || name.includes(".") || name === "_debug") {
      throw new PipelineError(`Invalid component name ${JSON.stringify(name)}: use a non-empty name without '.' (and not '_debug').`);
    }
    if (graph.nodes.has(name)) {
      throw new PipelineError(`A component named '${name}' already exists in this pipeline: choose another name.`, { component: name });
    }
    if (!isComponent(instance)) {
      throw new PipelineValidationError(
        `'${name}' must be a component instance, got ${describeValue(instance)}: decorate its class with @component({ inputs, outputs }).`,
        {
          component: name,
        },
      );
    }
    const owner = (instance as Owned)[OWNER];
    if (owner !== undefined && owner !== this) {
      throw new PipelineError(`The component added as '${name}' already belongs to another pipeline: create a new instance for each pipeline.`, {
        component: name,
      });
    }
    graph.nodes.set(name, createNode(name, instance, getComponentInfo(instance)));
    Object.defineProperty(instance, OWNER, { value: this, configurable: true, enumerable: false });
    graph.changed();
    return this;
  }

  /** Removes a component and its connections and returns the instance, which may join another pipeline. */
  removeComponent(name: string): object {
    const graph = this.#graph;
    const node = this.#node(name);
    for (let i = graph.edges.length - 1; i >= 0; i--) {
      const edge = graph.edges[i]!;
      if (edge.sender !== name && edge.receiver !== name) continue;
      graph.edges.splice(i, 1);
      const socket = edge.receiverSocket;
      removeItem(socket.senders, edge.sender);
      if (socket.autoVariadic && socket.senders.length <= 1) {
        delete socket.variadic;
        socket.autoVariadic = false;
      }
      removeItem(edge.senderSocket.receivers, edge.receiver);
      const senderNode = graph.nodes.get(edge.sender);
      if (senderNode !== undefined) removeItem(senderNode.outEdges, edge);
    }
    graph.nodes.delete(name);
    delete (node.instance as Owned)[OWNER];
    graph.changed();
    return node.instance;
  }

  /** The component instance named `name`. */
  getComponent(name: string): object {
    return this.#node(name).instance;
  }

  /** The name under which `instance` was added, or `undefined`. */
  getComponentName(instance: object): string | undefined {
    for (const node of this.#graph.nodes.values()) if (node.instance === instance) return node.name;
    return undefined;
  }

  /** `[name, instance]` pairs in insertion order. */
  *walk(): IterableIterator<[string, object]> {
    for (const node of this.#graph.nodes.values()) yield [node.name, node.instance];
  }

  /**
   * Connects an output to an input: `"comp"` or `"comp.socket"` on each side. Without socket
   * names the unique type-compatible pair is used (ties go to equal socket names). A second
   * sender into a list-typed socket makes it collect (concatenate) all senders' lists.
   *
   * @example
   * pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
   */
  connect(sender: string, receiver: string): this {
    const graph = this.#graph;
    const s = parseConnectString(sender);
    const r = parseConnectString(receiver);
    if (s.component === r.component) {
      throw new PipelineConnectError(`Cannot connect '${sender}' to '${receiver}': a component cannot be connected to itself.`, {
        component: s.component,
      });
    }
    const senderNode = this.#node(s.component, PipelineConnectError);
    const receiverNode = this.#node(r.component, PipelineConnectError);
    const pair = resolveConnection(senderNode, s.socket, receiverNode, r.socket, this.connectionTypeValidation);
    const existing = graph.edges.find((e) => e.senderSocket === pair.sender && e.receiverSocket === pair.receiver);
    if (existing !== undefined) return this;
    const socket = pair.receiver;
    if (socket.senders.length > 0 && socket.variadic === undefined) {
      if (!isListType(socket.type)) {
        throw new PipelineConnectError(
          `Cannot connect '${s.component}.${pair.sender.name}' to '${r.component}.${socket.name}': the socket already receives from ` +
            `'${socket.senders.join("', '")}' and its type ${socket.type} cannot accept multiple inputs. Declare it variadic ` +
            `({ variadic: "lazy" }) or with a list type, or join the values with another component first.`,
          { component: r.component, socket: socket.name },
        );
      }
      socket.variadic = "lazy";
      socket.autoVariadic = true;
    }
    const edge: Edge = { sender: s.component, senderSocket: pair.sender, receiver: r.component, receiverSocket: socket, conversion: pair.conversion };
    graph.edges.push(edge);
    senderNode.outEdges.push(edge);
    socket.senders.push(s.component);
    pair.sender.receivers.push(r.component);
    graph.changed();
    return this;
  }

  /**
   * The inputs a run may fill: per component, its sockets without senders (variadic sockets always).
   * With `includeConnected`, every input socket.
   */
  inputs(options: { includeConnected?: boolean } = {}): Record<string, Record<string, PipelineSocketInfo>> {
    const out: Record<string, Record<string, PipelineSocketInfo>> = {};
    for (const name of this.#graph.sortedNames()) {
      const sockets: Record<string, PipelineSocketInfo> = {};
      for (const socket of this.#graph.nodes.get(name)!.inputs.values()) {
        if (options.includeConnected !== true && socket.senders.length > 0 && socket.variadic === undefined) continue;
        sockets[socket.name] = { type: socket.type, mandatory: socket.mandatory, ...(socket.hasDefault ? { default: socket.default } : {}) };
      }
      if (Object.keys(sockets).length > 0) out[name] = sockets;
    }
    return out;
  }

  /** The outputs a run returns: per component, its sockets without receivers. */
  outputs(options: { includeConnected?: boolean } = {}): Record<string, Record<string, PipelineSocketInfo>> {
    const out: Record<string, Record<string, PipelineSocketInfo>> = {};
    for (const name of this.#graph.sortedNames()) {
      const sockets: Record<string, PipelineSocketInfo> = {};
      for (const socket of this.#graph.nodes.get(name)!.outputs.values()) {
        if (options.includeConnected !== true && socket.receivers.length > 0) continue;
        sockets[socket.name] = { type: socket.type, mandatory: false };
      }
      if (Object.keys(sockets).length > 0) out[name] = sockets;
    }
    return out;
  }

  /**
   * The metadata, components and connections, in the lines of Haystack's `Pipeline.__repr__`.
   *
   * @example
   * String(pipe); // "Pipeline\n🚅 Components\n  - retriever: InMemoryBM25Retriever\n…\n🛤️ Connections\n  - retriever.documents -> prompt_builder.documents (list[Document])"
   */
  toString(): string {
    return pipelineText(this.constructor.name, this.metadata, this.#graph);
  }

  /** `console.log(pipe)` prints {@link toString}'s lines. */
  [inspect.custom](): string {
    return this.toString();
  }

  #node(name: string, ErrorClass: typeof PipelineError = PipelineError): ComponentNode {
    const node = this.#graph.nodes.get(name);
    if (node === undefined) {
      const known = this.#graph.sortedNames();
      throw new ErrorClass(
        `Component named '${name}' not found in the pipeline. Known components: ${known.length > 0 ? known.map((n) => `'${n}'`).join(", ") : "(none)"}.`,
        { component: name },
      );
    }
    return node;
  }
}

function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
