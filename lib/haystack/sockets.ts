/**
 * Socket declarations: what users write in `@component({ inputs, outputs })` and the resolved,
 * per-instance form the pipeline works with.
 */
import { describeValue } from "../internal/describe-value";
import { ComponentError } from "./errors";

/**
 * A socket type tag: `"str" | "int" | "float" | "bool" | "dict" | "list" | "any" | "Document" |
 * "Document[]" | "ChatMessage[]"` or any other name. `"X[]"` is a list of X, `"A|B"` a union.
 */
export type SocketType = string;

/**
 * One input socket. A `default` (or `optional: true`) makes the socket optional; an optional
 * socket without a default is simply left out of `run`'s argument when nothing arrives.
 * `variadic` sockets collect values from several senders into a list (`"lazy"`: waits for all
 * senders; `"greedy"`: fires on the first value); `type` is then the element type.
 */
export interface InputSocketSpec {
  type?: SocketType;
  default?: unknown;
  optional?: boolean;
  variadic?: "lazy" | "greedy";
}

/** Input declaration: names (type `"any"`, mandatory) or a map of name to type or spec. */
export type InputDeclaration = readonly string[] | Readonly<Record<string, SocketType | InputSocketSpec>>;

/** Output declaration: names (type `"any"`) or a map of name to type. */
export type OutputDeclaration = readonly string[] | Readonly<Record<string, SocketType>>;

/** An input socket of one component instance, as the pipeline sees it. */
export interface ResolvedInputSocket {
  readonly name: string;
  readonly type: SocketType;
  /** True when the socket has no default and is not optional. */
  readonly mandatory: boolean;
  /** True when `default` holds a declared default value (which may itself be `undefined`). */
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly variadic?: "lazy" | "greedy";
}

/** An output socket of one component instance. */
export interface ResolvedOutputSocket {
  readonly name: string;
  readonly type: SocketType;
}

function checkName(owner: string, kind: string, name: string): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new ComponentError(`${owner}: ${kind} socket names must be non-empty strings, got ${describeValue(name)}.`);
  }
}

function checkType(owner: string, name: string, type: unknown): SocketType {
  if (type === undefined) return "any";
  if (typeof type !== "string" || type.trim().length === 0) {
    throw new ComponentError(`${owner}: socket '${name}' has type ${JSON.stringify(type)}; use a type tag string such as "str", "Document[]" or "any".`);
  }
  return type.replace(/\s+/g, "");
}

/** Turns one input declaration entry into a resolved socket. */
export function resolveInputSocket(owner: string, name: string, decl: SocketType | InputSocketSpec): ResolvedInputSocket {
  checkName(owner, "input", name);
  if (typeof decl === "string") return { name, type: checkType(owner, name, decl), mandatory: true, hasDefault: false };
  if (typeof decl !== "object" || decl === null) {
    throw new ComponentError(`${owner}: input '${name}' must be a type tag or { type, default, optional, variadic }, got ${describeValue(decl)}.`);
  }
  const type = checkType(owner, name, decl.type);
  const variadic = decl.variadic;
  if (variadic !== undefined && variadic !== "lazy" && variadic !== "greedy") {
    throw new ComponentError(`${owner}: input '${name}' has variadic ${JSON.stringify(variadic)}; use "lazy" or "greedy".`);
  }
  const hasDefault = Object.prototype.hasOwnProperty.call(decl, "default");
  const mandatory = !hasDefault && decl.optional !== true;
  const socket: { -readonly [K in keyof ResolvedInputSocket]: ResolvedInputSocket[K] } = { name, type, mandatory, hasDefault };
  if (hasDefault) socket.default = decl.default;
  if (variadic !== undefined) socket.variadic = variadic;
  return socket;
}

/** Resolves a whole input declaration, in declaration order. */
export function resolveInputs(owner: string, decl: InputDeclaration | undefined): Map<string, ResolvedInputSocket> {
  const out = new Map<string, ResolvedInputSocket>();
  if (decl === undefined) return out;
  if (Array.isArray(decl)) {
    for (const name of decl as readonly string[]) out.set(name, resolveInputSocket(owner, name, "any"));
  } else {
    for (const [name, spec] of Object.entries(decl as Record<string, SocketType | InputSocketSpec>)) {
      out.set(name, resolveInputSocket(owner, name, spec));
    }
  }
  return out;
}

/** Resolves a whole output declaration, in declaration order. */
export function resolveOutputs(owner: string, decl: OutputDeclaration | undefined): Map<string, ResolvedOutputSocket> {
  const out = new Map<string, ResolvedOutputSocket>();
  if (decl === undefined) return out;
  const entries: [string, unknown][] = Array.isArray(decl) ? (decl as readonly string[]).map((name) => [name, "any"]) : Object.entries(decl);
  for (const [name, type] of entries) {
    checkName(owner, "output", name);
    out.set(name, { name, type: checkType(owner, name, type) });
  }
  return out;
}
