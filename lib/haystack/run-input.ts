/**
 * Turns a run's data into per-component inputs and validates them before anything runs.
 * Accepts nested `{ retriever: { query } }` and flat `{ query }` (which goes to every component
 * with an unconnected socket of that name).
 */
import { describeValue } from "../internal/describe-value";
import { deepCopy } from "./deep-copy";
import { PipelineValidationError } from "./errors";
import type { GraphInputSocket, PipelineGraph } from "./graph";
import type { ComponentInputs } from "./scheduler";
import { isListType } from "./type-compat";

/** `{...}` from any realm (vm contexts and test runners have their own `Object.prototype`). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]");
}

/** Acceptable inputs, for error messages: `comp.socket (type)`. */
function acceptedInputs(graph: PipelineGraph): string {
  const list: string[] = [];
  for (const name of graph.sortedNames()) {
    for (const socket of graph.nodes.get(name)!.inputs.values()) {
      if (socket.senders.length === 0 || socket.variadic !== undefined) {
        list.push(`${name}.${socket.name} (${socket.type}${socket.mandatory ? "" : ", optional"})`);
      }
    }
  }
  return list.length > 0 ? list.join(", ") : "(none)";
}

/**
 * Data is nested when every value is a plain object and at least one key names a component
 * (Haystack only checks the first part, so flat input made of objects was misread).
 */
function isNested(graph: PipelineGraph, data: Record<string, unknown>): boolean {
  const entries = Object.entries(data);
  return entries.every(([, v]) => isPlainObject(v)) && (entries.length === 0 || entries.some(([k]) => graph.nodes.has(k)));
}

function distributeFlat(graph: PipelineGraph, data: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const nested: Record<string, Record<string, unknown>> = {};
  const unmatched: string[] = [];
  for (const [inputName, value] of Object.entries(data)) {
    let matched = false;
    for (const name of graph.sortedNames()) {
      const socket = graph.nodes.get(name)!.inputs.get(inputName);
      if (socket === undefined || (socket.senders.length > 0 && socket.variadic === undefined)) continue;
      (nested[name] ??= {})[inputName] = value;
      matched = true;
    }
    if (!matched) unmatched.push(inputName);
  }
  if (unmatched.length > 0) {
    throw new PipelineValidationError(
      `Input ${unmatched.map((n) => `'${n}'`).join(", ")} matches no open input socket of the pipeline. ` +
        `Open inputs: ${acceptedInputs(graph)}. Pass { component: { socket: value } } to address one component.`,
      { socket: unmatched[0]! },
    );
  }
  return nested;
}

function validate(graph: PipelineGraph, nested: Record<string, Record<string, unknown>>): void {
  for (const [name, sockets] of Object.entries(nested)) {
    const node = graph.nodes.get(name);
    if (node === undefined) {
      throw new PipelineValidationError(
        `Component named '${name}' not found in the pipeline. Known components: ${
          graph
            .sortedNames()
            .map((n) => `'${n}'`)
            .join(", ") || "(none)"
        }.`,
        { component: name },
      );
    }
    for (const socketName of Object.keys(sockets)) {
      const socket = node.inputs.get(socketName);
      if (socket === undefined) {
        throw new PipelineValidationError(
          `Input '${socketName}' not found in component '${name}' (${node.info.className}). Its inputs: ${[...node.inputs.keys()].map((n) => `'${n}'`).join(", ") || "(none)"}.`,
          { component: name, socket: socketName },
        );
      }
      if (socket.senders.length > 0 && socket.variadic === undefined) mergeUserInput(graph, name, socket);
    }
  }
  for (const [name, socket] of graph.mandatoryOpenSockets()) {
    if (!socketNameIn(nested[name], socket.name)) {
      throw new PipelineValidationError(
        `Missing mandatory input '${socket.name}' for component '${name}'. Pass it as { ${name}: { ${socket.name}: ... } } or connect a sender to '${name}.${socket.name}'.`,
        { component: name, socket: socket.name },
      );
    }
  }
}

/**
 * Haystack's `_make_socket_auto_variadic` at run time: a connected list socket that also gets user
 * input collects both (the user's items first). Like Haystack, the socket stays collecting.
 */
function mergeUserInput(graph: PipelineGraph, name: string, socket: GraphInputSocket): void {
  if (!isListType(socket.type)) {
    throw new PipelineValidationError(
      `Component '${name}' cannot accept multiple inputs to '${socket.name}'. It is already connected to component '${socket.senders[0]!}', ` +
        `and it can only accept inputs from multiple senders if its type is a list (it is ${socket.type}). Remove '${socket.name}' from the run data for '${name}'.`,
      { component: name, socket: socket.name },
    );
  }
  socket.variadic = "lazy";
  socket.autoVariadic = true;
  graph.changed();
}

function socketNameIn(sockets: Record<string, unknown> | undefined, name: string): boolean {
  return sockets !== undefined && Object.prototype.hasOwnProperty.call(sockets, name);
}

/**
 * Normalises, validates and deep-copies run data into the scheduler's initial input state.
 * Throws {@link PipelineValidationError} for unknown components or sockets and missing inputs.
 */
export function prepareRunInputs(graph: PipelineGraph, data: unknown): Map<string, ComponentInputs> {
  if (!isPlainObject(data)) {
    throw new PipelineValidationError(
      `Expected run data to be an object like { component: { socket: value } } or { socket: value }, got ${describeValue(data)}.`,
    );
  }
  const nested = isNested(graph, data) ? (data as Record<string, Record<string, unknown>>) : distributeFlat(graph, data);
  validate(graph, nested);
  const state = new Map<string, ComponentInputs>();
  for (const [name, sockets] of Object.entries(nested)) {
    const map: ComponentInputs = new Map();
    for (const [socketName, value] of Object.entries(sockets)) map.set(socketName, [{ sender: undefined, value: deepCopy(value) }]);
    state.set(name, map);
  }
  return state;
}
