/**
 * The JSON text a stream event is recorded as (`mlflow.chunk.value`): `JSON.stringify` of its
 * snapshot. An event the client parsed from the server's JSON is usually already what a snapshot
 * would copy it into — plain objects, arrays, short strings, finite numbers, no secret-named key,
 * within every limit — and then `JSON.stringify(event)` is the same text, without the copy; a
 * streamed call records one per chunk. Anything else goes through the snapshot.
 */
import { sdkState, type SerializationLimits } from "../../internal/global-state";
import { isSecretKey, redactText } from "../../internal/redaction";
import { SNAPSHOT_PRIMITIVE_COST as PRIMITIVE_COST, snapshot } from "../../tracing/integration";

/**
 * Walks `value` as the snapshotter would and returns the chars it would charge, or -1 as soon as
 * the snapshot would differ from the value itself (a redaction, a cut, a non-JSON value).
 */
function verbatimCost(value: unknown, depth: number, limits: SerializationLimits): number {
  switch (typeof value) {
    case "string":
      return value.length <= limits.maxStringLength && redactText(value) === value ? value.length + 2 : -1;
    case "number":
      return Number.isFinite(value) ? PRIMITIVE_COST : -1;
    case "boolean":
      return PRIMITIVE_COST;
    case "object":
      break;
    default:
      return -1;
  }
  if (value === null) return 0;
  if (depth >= limits.maxDepth) return -1;
  let cost = 2;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || value.length > limits.maxCollectionItems) return -1;
    for (const item of value as unknown[]) {
      const c = item === undefined ? 0 : verbatimCost(item, depth + 1, limits);
      if (c < 0) return -1;
      cost += c + 1;
    }
    return cost;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return -1;
  const keys = Object.keys(value);
  if (keys.length > limits.maxCollectionItems) return -1;
  for (const key of keys) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry === undefined) continue;
    if (isSecretKey(key)) return -1;
    const c = verbatimCost(entry, depth + 1, limits);
    if (c < 0) return -1;
    cost += c + key.length + 3;
  }
  return cost;
}

/** `JSON.stringify(snapshot(event))`, without the snapshot's copy when it would change nothing. */
export function eventJson(event: unknown): string {
  const limits = sdkState().limits;
  const budget = limits.maxValueLength;
  if (budget !== undefined && typeof event === "object" && event !== null) {
    try {
      const cost = verbatimCost(event, 0, limits);
      // Strictly below the budget: the snapshot cuts nothing while its remaining budget stays positive.
      if (cost >= 0 && cost < budget) return JSON.stringify(event);
    } catch {
      // A getter or proxy trap threw: the snapshot records what it can.
    }
  }
  return JSON.stringify(snapshot(event));
}
