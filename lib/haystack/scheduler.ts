/**
 * Haystack 3.4's scheduling rules (as in 2.31) (`component_checks.py` and `PipelineBase` helpers): per-run
 * input state, the five priorities, input consumption and output distribution. Pure functions
 * over a {@link RunState}; the run loops live in `pipeline.ts`.
 */
import type { ComponentNode, GraphInputSocket, PipelineGraph } from "./graph";
import { convertValue } from "./type-compat";

/** Marks "the sender ran but produced nothing for this socket". */
export const NO_OUTPUT: unique symbol = Symbol("NO_OUTPUT");

/** One value waiting in a socket; `sender` is `undefined` for user input. */
export interface SocketInput {
  readonly sender: string | undefined;
  readonly value: unknown;
}

/** Pending inputs of one component, by socket. */
export type ComponentInputs = Map<string, SocketInput[]>;

/** Mutable state of one run (never stored on the pipeline, so runs may overlap). */
export interface RunState {
  readonly inputs: Map<string, ComponentInputs>;
  readonly visits: Map<string, number>;
}

/** Lower runs first. */
export const enum Priority {
  Highest = 1,
  Ready = 2,
  Defer = 3,
  DeferLast = 4,
  Blocked = 5,
}

const EMPTY: SocketInput[] = [];

function received(list: readonly SocketInput[]): boolean {
  for (const i of list) if (i.value !== NO_OUTPUT) return true;
  return false;
}

function allSendersDelivered(socket: GraphInputSocket, list: readonly SocketInput[]): boolean {
  for (const sender of socket.senders) {
    if (!list.some((i) => i.sender === sender && i.value !== NO_OUTPUT)) return false;
  }
  return list.every((i) => i.sender === undefined || i.value === NO_OUTPUT || socket.senders.includes(i.sender));
}

function allSendersExecuted(socket: GraphInputSocket, list: readonly SocketInput[]): boolean {
  for (const sender of socket.senders) if (!list.some((i) => i.sender === sender)) return false;
  return true;
}

function socketComplete(socket: GraphInputSocket, list: readonly SocketInput[]): boolean {
  if (list.length === 0) return false;
  if (socket.variadic === "greedy") return received(list);
  if (socket.variadic === "lazy") return allSendersDelivered(socket, list);
  return list[0]!.value !== NO_OUTPUT;
}

function allSocketsReady(node: ComponentNode, inputs: ComponentInputs | undefined, onlyMandatory: boolean): boolean {
  for (const socket of node.inputs.values()) {
    if (!(socket.mandatory || (!onlyMandatory && socket.senders.length > 0))) continue;
    const list = inputs?.get(socket.name) ?? EMPTY;
    if (!(socketComplete(socket, list) || (socket.variadic === "lazy" && received(list)))) return false;
  }
  return true;
}

function hasTrigger(node: ComponentNode, inputs: ComponentInputs | undefined, visits: number): boolean {
  let user = false;
  if (inputs !== undefined) {
    for (const list of inputs.values()) {
      for (const i of list) {
        if (i.sender === undefined) user = true;
        else if (i.value !== NO_OUTPUT) return true;
      }
    }
  }
  if (visits !== 0) return false;
  if (user) return true;
  for (const socket of node.inputs.values()) if (socket.senders.length > 0) return false;
  return true;
}

/** Haystack's `_calculate_priority`. */
export function priorityOf(node: ComponentNode, inputs: ComponentInputs | undefined, visits: number): Priority {
  if (!allSocketsReady(node, inputs, true) || !hasTrigger(node, inputs, visits)) return Priority.Blocked;
  let greedyReady = false;
  let predecessorsExecuted = true;
  let lazyResolved = true;
  for (const socket of node.inputs.values()) {
    const list = inputs?.get(socket.name) ?? EMPTY;
    if (socket.variadic === "greedy" && socketComplete(socket, list)) greedyReady = true;
    const executed = allSendersExecuted(socket, list);
    if (!executed) predecessorsExecuted = false;
    if (socket.variadic === "lazy" && !(allSendersDelivered(socket, list) || executed)) lazyResolved = false;
  }
  if (greedyReady && allSocketsReady(node, inputs, false)) return Priority.Highest;
  if (predecessorsExecuted) return Priority.Ready;
  return lazyResolved ? Priority.Defer : Priority.DeferLast;
}

/** A FIFO priority queue over component names (ties keep insertion order): one bucket per priority. */
export class PriorityQueue {
  readonly #buckets: string[][] = [[], [], [], [], [], []];
  #heads = [0, 0, 0, 0, 0, 0];
  #size = 0;

  push(name: string, priority: Priority): void {
    this.#buckets[priority]!.push(name);
    this.#size++;
  }

  peek(): { priority: Priority; name: string } | undefined {
    for (let p = Priority.Highest; p <= Priority.Blocked; p++) {
      const bucket = this.#buckets[p]!;
      const head = this.#heads[p]!;
      if (head < bucket.length) return { priority: p, name: bucket[head]! };
    }
    return undefined;
  }

  pop(): { priority: Priority; name: string } | undefined {
    const top = this.peek();
    if (top !== undefined) {
      this.#heads[top.priority]!++;
      this.#size--;
    }
    return top;
  }

  get size(): number {
    return this.#size;
  }

  /** Empties the queue for reuse. */
  clear(): this {
    for (const bucket of this.#buckets) bucket.length = 0;
    this.#heads.fill(0);
    this.#size = 0;
    return this;
  }

  /** Empty, or the best candidate is worse than READY: priorities may have changed. */
  isStale(): boolean {
    const head = this.peek();
    return head === undefined || head.priority > Priority.Ready;
  }
}

/**
 * Haystack's `_fill_queue`: every listed component with its current priority. Pass the previous
 * queue to refill it instead of allocating one (the sequential loop refills after most visits).
 */
export function fillQueue(graph: PipelineGraph, names: readonly string[], state: RunState, reuse?: PriorityQueue): PriorityQueue {
  const queue = reuse?.clear() ?? new PriorityQueue();
  for (const name of names) {
    queue.push(name, priorityOf(graph.nodes.get(name)!, state.inputs.get(name), state.visits.get(name) ?? 0));
  }
  return queue;
}

/**
 * Among the first candidate and every queued component of the same (deferred) priority, picks the
 * one first in topological order, then by lower-cased name. The others leave the queue.
 */
export function tiebreak(graph: PipelineGraph, first: string, priority: Priority, queue: PriorityQueue): string {
  const same = [first];
  while (queue.peek()?.priority === priority) same.push(queue.pop()!.name);
  if (same.length === 1) return first;
  const ranks = graph.ranks();
  same.sort((a, b) => {
    const byRank = (ranks.get(a) ?? 0) - (ranks.get(b) ?? 0);
    if (byRank !== 0) return byRank;
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
  return same[0]!;
}

/**
 * Takes the values a component runs with and removes them from the state; user inputs stay
 * (except on greedy sockets). Missing optional sockets get their defaults (`[default]` if variadic).
 */
export function consumeInputs(node: ComponentNode, state: RunState): Record<string, unknown> {
  const pending = state.inputs.get(node.name);
  const args: Record<string, unknown> = {};
  for (const socket of node.inputs.values()) {
    const list = pending?.get(socket.name);
    const values = list === undefined ? EMPTY : list.filter((i) => i.value !== NO_OUTPUT);
    if (values.length > 0) {
      if (socket.variadic === undefined) args[socket.name] = values[0]!.value;
      else if (socket.variadic === "greedy") args[socket.name] = [values[0]!.value];
      else if (socket.autoVariadic) args[socket.name] = values.flatMap((i) => (Array.isArray(i.value) ? i.value : [i.value]));
      else args[socket.name] = values.map((i) => i.value);
    } else if (!socket.mandatory && socket.hasDefault) {
      args[socket.name] = socket.variadic === undefined ? socket.default : [socket.default];
    }
  }
  if (pending !== undefined) {
    for (const [socketName, list] of pending) {
      const keep = node.inputs.get(socketName)?.variadic === "greedy" ? EMPTY : list.filter((i) => i.sender === undefined);
      if (keep.length > 0) pending.set(socketName, keep);
      else pending.delete(socketName);
    }
  }
  return args;
}

/**
 * Sends a component's outputs along its edges (an absent key sends {@link NO_OUTPUT}) and returns
 * what the run should report for it: all its outputs if it is in `includeOutputsFrom`, otherwise
 * the outputs no edge consumed (undeclared ones included, as Haystack 3.4 does).
 */
export function writeOutputs(node: ComponentNode, outputs: Record<string, unknown>, state: RunState, includeAll: boolean): Record<string, unknown> | undefined {
  for (const edge of node.outEdges) {
    let value = Object.prototype.hasOwnProperty.call(outputs, edge.senderSocket.name) ? outputs[edge.senderSocket.name] : NO_OUTPUT;
    if (value !== NO_OUTPUT && edge.conversion !== undefined) value = convertValue(edge.conversion, value);
    let pending = state.inputs.get(edge.receiver);
    if (pending === undefined) state.inputs.set(edge.receiver, (pending = new Map()));
    const entry: SocketInput = { sender: node.name, value };
    const socketName = edge.receiverSocket.name;
    if (edge.receiverSocket.variadic === "lazy") {
      const list = pending.get(socketName);
      if (list === undefined) pending.set(socketName, [entry]);
      else list.push(entry);
    } else if (value !== NO_OUTPUT || !pending.has(socketName)) {
      pending.set(socketName, [entry]);
    }
  }
  let report: Record<string, unknown> | undefined;
  for (const key of Object.keys(outputs)) {
    if (!includeAll && (node.outputs.get(key)?.receivers.length ?? 0) > 0) continue;
    (report ??= {})[key] = outputs[key];
  }
  return report;
}
