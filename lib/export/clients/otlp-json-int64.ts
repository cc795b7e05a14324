/**
 * OpenTelemetry's OTLP/JSON serialiser (`@opentelemetry/otlp-transformer` 0.223) writes every
 * integer as `intValue`, even one outside int64 (`1e21`, `2 ** 63`), which a collector — MLflow's
 * `/v1/traces` among them — refuses, losing the whole request. Its protobuf writer sends such an
 * integer as a double; this does the same for JSON, at no cost unless a batch holds one.
 */
import type { OtlpReadableSpan } from "./otlp-spans";

const INT64_BOUND = 2 ** 63;

function outsideInt64(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && (value < -INT64_BOUND || value >= INT64_BOUND);
}

function holdsOne(value: unknown): boolean {
  if (typeof value === "number") return outsideInt64(value);
  if (value === null || typeof value !== "object") return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsOne);
}

/** Whether an attribute of `spans` (their resource's, their events') holds an integer outside int64. */
export function holdsIntegerOutsideInt64(spans: readonly OtlpReadableSpan[]): boolean {
  const first = spans[0];
  if (first !== undefined && holdsOne(first.resource.attributes)) return true;
  return spans.some((span) => holdsOne(span.attributes) || span.events.some((event) => holdsOne(event.attributes)));
}

/**
 * `serialized` OTLP/JSON with each `intValue` outside int64 turned into a `doubleValue`.
 *
 * @example
 * if (holdsIntegerOutsideInt64(spans)) body = int64SafeJson(body);
 */
export function int64SafeJson(serialized: Uint8Array): Uint8Array {
  const request: unknown = JSON.parse(Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength).toString("utf8"), (_key, value: unknown) => {
    if (value !== null && typeof value === "object" && "intValue" in value && outsideInt64(value.intValue)) return { doubleValue: value.intValue };
    return value;
  });
  return Buffer.from(JSON.stringify(request), "utf8");
}
