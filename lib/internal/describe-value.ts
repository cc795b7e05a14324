/**
 * The one way an error message shows a value it did not accept, so every "got …" reads alike:
 * its kind always, its content where that is short and safe — never an object's values (they
 * may hold credentials) — and never a throw, whatever the value (revoked Proxies, throwing getters).
 */
import { redactUrl } from "./redaction";

/** Longest string (and key or function name) shown before it is cut with `…`. */
const MAX_TEXT = 60;
/** Most keys of an object named. */
const MAX_KEYS = 5;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeString(value: string): string {
  if (value === "") return '"" (an empty string)';
  const shown = JSON.stringify(cut(redactUrl(value), MAX_TEXT));
  return value.length > MAX_TEXT ? `${shown} (a string of ${value.length} characters)` : `${shown} (a string)`;
}

function describeFunction(fn: object): string {
  const name: unknown = Object.getOwnPropertyDescriptor(fn, "name")?.value;
  return typeof name === "string" && name !== "" ? `a function named ${cut(name, MAX_TEXT)}` : "an anonymous function";
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) {
    const ctor: unknown = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
    const name: unknown = typeof ctor === "function" ? Object.getOwnPropertyDescriptor(ctor, "name")?.value : undefined;
    return typeof name === "string" && name !== "" ? `an instance of ${cut(name, MAX_TEXT)}` : "an object";
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return "an empty object";
  const named = keys.slice(0, MAX_KEYS).map((key) => cut(key, MAX_TEXT));
  const more = keys.length > MAX_KEYS ? `, … (${keys.length} in all)` : "";
  return `an object with key${keys.length === 1 ? "" : "s"} ${named.join(", ")}${more}`;
}

/**
 * `value` as the "got …" of an error message: `"5" (a string)`, `5 (a number)`, `null`,
 * `an array of 2 items`, `an object with keys url, token`, `an instance of Promise`,
 * `a function named f`.
 * Strings are quoted, cut after 60 characters, and have URL credentials hidden; an object shows
 * its class or its key names, never its values. Never throws.
 *
 * @example
 * throw new ConfigError(`Expected \`maxQueueSize\` to be a positive integer, got ${describeValue("5")}`);
 * // … got "5" (a string)
 */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case "undefined":
        return "undefined";
      case "string":
        return describeString(value);
      case "number":
        return `${Object.is(value, -0) ? "-0" : String(value)} (a number)`;
      case "boolean":
        return `${String(value)} (a boolean)`;
      case "bigint":
        return `${cut(String(value), MAX_TEXT)}n (a bigint)`;
      case "symbol":
        return `${cut(String(value), MAX_TEXT)} (a symbol)`;
      case "function":
        return describeFunction(value);
      case "object":
        return value === null ? "null" : describeObject(value);
      default:
        return typeof value;
    }
  } catch {
    // A revoked Proxy or a throwing trap: its kind is all that can be known.
    return typeof value === "function" ? "a function" : "an object";
  }
}
