/**
 * The JSON text a stream event is recorded as (`mlflow.chunk.value`): `JSON.stringify` of its
 * snapshot. An event the client parsed from the server's JSON is usually already what a snapshot
 * would copy it into — plain objects, arrays, short strings, finite numbers, no secret-named key,
 * within every limit — and then its own JSON is the same text: one walk checks that and writes it,
 * without the copy (a streamed call records one per chunk). Anything else goes through the snapshot.
 */
import { sdkState, type SerializationLimits } from "../../internal/global-state";
import { isSecretKey, redactText } from "../../internal/redaction";
import { SNAPSHOT_PRIMITIVE_COST as PRIMITIVE_COST, snapshot } from "../../tracing/integration";

/** A string `JSON.stringify` writes as `"` + itself + `"`. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `"key":` for each key seen, in JSON; event keys repeat from chunk to chunk. */
const keyPrefixes = new Map<string, string>();

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (keyPrefixes.size < 1_000) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** Walk state: the chars the snapshotter would charge so far. */
let cost = 0;

/**
 * `JSON.stringify(value)` when the snapshot would not change `value`, adding to `cost` what the
 * snapshotter would charge; `undefined` as soon as the snapshot would differ (a redaction, a cut, a
 * value JSON does not write as the snapshot does).
 */
function verbatimJson(value: unknown, depth: number, limits: SerializationLimits): string | undefined {
  switch (typeof value) {
    case "string":
      if (value.length > limits.maxStringLength || redactText(value) !== value) return undefined;
      cost += value.length + 2;
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case "number":
      if (!Number.isFinite(value)) return undefined;
      cost += PRIMITIVE_COST;
      return String(value);
    case "boolean":
      cost += PRIMITIVE_COST;
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return "null";
  if (depth >= limits.maxDepth) return undefined;
  cost += 2;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || value.length > limits.maxCollectionItems) return undefined;
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const json = item === undefined ? "null" : verbatimJson(item, depth + 1, limits);
      if (json === undefined) return undefined;
      out += i === 0 ? json : `,${json}`;
      cost += 1;
    }
    return `${out}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  const keys = Object.keys(value);
  if (keys.length > limits.maxCollectionItems) return undefined;
  let out = "{";
  for (const key of keys) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry === undefined) continue;
    if (isSecretKey(key)) return undefined;
    const json = verbatimJson(entry, depth + 1, limits);
    if (json === undefined) return undefined;
    out += out.length === 1 ? keyPrefix(key) + json : `,${keyPrefix(key)}${json}`;
    cost += key.length + 3;
  }
  return `${out}}`;
}

/** `JSON.stringify(snapshot(event))`, without the snapshot's copy when it would change nothing. */
export function eventJson(event: unknown): string {
  const limits = sdkState().limits;
  const budget = limits.maxValueLength;
  if (budget !== undefined && typeof event === "object" && event !== null) {
    cost = 0;
    try {
      const json = verbatimJson(event, 0, limits);
      // Strictly below the budget: the snapshot cuts nothing while its remaining budget stays positive.
      if (json !== undefined && cost < budget) return json;
    } catch {
      // A getter or proxy trap threw: the snapshot records what it can.
    }
  }
  return JSON.stringify(snapshot(event));
}
