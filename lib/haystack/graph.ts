/**
 * The pipeline graph: component nodes with per-pipeline socket copies (senders/receivers) and
 * the edges between sockets. No scheduling and no validation messages live here.
 */
import type { ComponentInfo } from "./component";
import type { ResolvedInputSocket } from "./sockets";
import type { SocketDescription } from "./tracing-hook";
import type { ConversionStrategy } from "./type-compat";
import { topologicalRanks } from "./topology";

/** An input socket inside one pipeline. */
export interface GraphInputSocket extends ResolvedInputSocket {
  variadic?: "lazy" | "greedy";
  /** Set when a list socket got a second sender: values are lists and are concatenated. */
  autoVariadic: boolean;
  /** Names of the components connected to this socket, in connection order. */
  readonly senders: string[];
}

/** An output socket inside one pipeline. */
export interface GraphOutputSocket {
  readonly name: string;
  readonly type: string;
  /** Names of the components this socket feeds, in connection order. */
  readonly receivers: string[];
}

/** One connection `sender.senderSocket -> receiver.receiverSocket`. */
export interface Edge {
  readonly sender: string;
  readonly senderSocket: GraphOutputSocket;
  readonly receiver: string;
  readonly receiverSocket: GraphInputSocket;
  readonly conversion: ConversionStrategy | undefined;
}

/** A component in a pipeline. */
export interface ComponentNode {
  readonly name: string;
  readonly instance: object;
  readonly info: ComponentInfo;
  readonly inputs: Map<string, GraphInputSocket>;
  readonly outputs: Map<string, GraphOutputSocket>;
  /** Edges leaving this component, in connection order. */
  readonly outEdges: Edge[];
  /** Socket descriptions for tracers, built on first use and dropped when the graph changes. */
  spec: { inputs: Record<string, SocketDescription>; outputs: Record<string, SocketDescription> } | undefined;
}

/** Creates a node with fresh socket copies for one pipeline. */
export function createNode(name: string, instance: object, info: ComponentInfo): ComponentNode {
  const inputs = new Map<string, GraphInputSocket>();
  for (const [socketName, socket] of info.inputs) inputs.set(socketName, { ...socket, autoVariadic: false, senders: [] });
  const outputs = new Map<string, GraphOutputSocket>();
  for (const [socketName, socket] of info.outputs) outputs.set(socketName, { name: socketName, type: socket.type, receivers: [] });
  return { name, instance, info, inputs, outputs, outEdges: [], spec: undefined };
}

/** Describes a node's sockets with peers written `component.socket`. */
export function describeSockets(node: ComponentNode, incoming: readonly Edge[]): NonNullable<ComponentNode["spec"]> {
  const inputs: Record<string, SocketDescription> = {};
  for (const socket of node.inputs.values()) {
    const senders = incoming.filter((e) => e.receiverSocket === socket).map((e) => `${e.sender}.${e.senderSocket.name}`);
    const desc: SocketDescription = { name: socket.name, type: socket.type, mandatory: socket.mandatory, senders };
    if (socket.hasDefault) desc.default = socket.default;
    if (socket.variadic !== undefined) desc.variadic = socket.variadic;
    inputs[socket.name] = desc;
  }
  const outputs: Record<string, SocketDescription> = {};
  for (const socket of node.outputs.values()) {
    const receivers = node.outEdges.filter((e) => e.senderSocket === socket).map((e) => `${e.receiver}.${e.receiverSocket.name}`);
    outputs[socket.name] = { name: socket.name, type: socket.type, mandatory: false, senders: [], receivers };
  }
  return { inputs, outputs };
}

/** Nodes and edges of one pipeline, with caches the scheduler reads on every run. */
export class PipelineGraph {
  readonly nodes = new Map<string, ComponentNode>();
  readonly edges: Edge[] = [];
  #sortedNames: string[] | undefined;
  #incoming: Map<string, Edge[]> | undefined;
  #ranks: Map<string, number> | undefined;
  #mandatoryOpen: [string, GraphInputSocket][] | undefined;
  #warmUps: string[] | undefined;

  /** Component names in sorted order (the scheduler's deterministic order). */
  sortedNames(): string[] {
    return (this.#sortedNames ??= [...this.nodes.keys()].sort());
  }

  /** Edges arriving at `name`, in connection order. */
  incoming(name: string): Edge[] {
    if (this.#incoming === undefined) {
      const map = new Map<string, Edge[]>();
      for (const edge of this.edges) map.set(edge.receiver, [...(map.get(edge.receiver) ?? []), edge]);
      this.#incoming = map;
    }
    return this.#incoming.get(name) ?? [];
  }

  /** Topological rank per component (cycle members share one). */
  ranks(): Map<string, number> {
    return (this.#ranks ??= topologicalRanks(this.sortedNames(), this.edges));
  }

  /** `[component, socket]` for every mandatory socket without senders: what each run must provide. */
  mandatoryOpenSockets(): [string, GraphInputSocket][] {
    if (this.#mandatoryOpen === undefined) {
      const list: [string, GraphInputSocket][] = [];
      for (const name of this.sortedNames()) {
        for (const socket of this.nodes.get(name)!.inputs.values()) if (socket.mandatory && socket.senders.length === 0) list.push([name, socket]);
      }
      this.#mandatoryOpen = list;
    }
    return this.#mandatoryOpen;
  }

  /** Components whose instance has a `warmUp()` method, in the order they were added (Haystack's graph order). */
  warmUpNames(): string[] {
    return (this.#warmUps ??= [...this.nodes.keys()].filter((name) => typeof (this.nodes.get(name)!.instance as { warmUp?: unknown }).warmUp === "function"));
  }

  /** Socket descriptions for tracers, cached per node. */
  spec(node: ComponentNode): NonNullable<ComponentNode["spec"]> {
    return (node.spec ??= describeSockets(node, this.incoming(node.name)));
  }

  /** Drops every cache; call after any change to nodes or edges. */
  changed(): void {
    this.#sortedNames = undefined;
    this.#incoming = undefined;
    this.#ranks = undefined;
    this.#mandatoryOpen = undefined;
    this.#warmUps = undefined;
    for (const node of this.nodes.values()) node.spec = undefined;
  }
}
