/**
 * OpenTelemetry-shaped ids: 16-byte trace ids and 8-byte span ids as lowercase hex.
 * Ids are cut from a pool of random hex refilled 32 KiB at a time, which keeps an id at a few
 * nanoseconds (formatting random numbers per id cost ~0.5 µs and dominated span creation).
 */
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 32 * 1024;
const poolBuffer = Buffer.allocUnsafe(POOL_BYTES);
let pool = "";
let offset = 0;

function take(hexLength: number): string {
  if (offset + hexLength > pool.length) {
    pool = randomFillSync(poolBuffer).toString("hex");
    offset = 0;
  }
  const id = pool.slice(offset, offset + hexLength);
  offset += hexLength;
  return id;
}

const ZERO_SPAN = "0".repeat(16);
const ZERO_TRACE = "0".repeat(32);
const ZERO_CODE = 48; // "0"

// An id is a slice of the pool: comparing it with the all-zero id whole is a call into the
// runtime (~200 instructions, twice per trace), so only an id that starts with "0" is compared.

/** A new 16-hex-digit span id (never all zeros). */
export function newSpanId(): string {
  const id = take(16);
  return id.charCodeAt(0) === ZERO_CODE && id === ZERO_SPAN ? newSpanId() : id;
}

/** A new 32-hex-digit OpenTelemetry trace id (never all zeros). */
export function newOtelTraceId(): string {
  const id = take(32);
  return id.charCodeAt(0) === ZERO_CODE && id === ZERO_TRACE ? newOtelTraceId() : id;
}

/** The MLflow trace id for an OpenTelemetry trace id: `tr-` + 32 hex. */
export const TRACE_ID_PREFIX = "tr-";

export function mlflowTraceId(otelTraceId: string): string {
  return TRACE_ID_PREFIX + otelTraceId;
}

/** The OpenTelemetry trace id inside an MLflow trace id. */
export function otelTraceIdOf(traceId: string): string {
  return traceId.startsWith(TRACE_ID_PREFIX) ? traceId.slice(TRACE_ID_PREFIX.length) : traceId;
}

/** Hex id → base64 of its big-endian bytes, as MLflow's span JSON stores ids. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}

/** Base64 id bytes → lowercase hex. */
export function base64ToHex(b64: string): string {
  return Buffer.from(b64, "base64").toString("hex");
}
