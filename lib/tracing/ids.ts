/**
 * OpenTelemetry-shaped ids: 16-byte trace ids and 8-byte span ids as lowercase hex.
 * Like OpenTelemetry's RandomIdGenerator they use Math.random: ids must be unique, not secret,
 * and crypto randomness costs microseconds per span.
 */

function hex8(): string {
  return ((Math.random() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, "0");
}

/** A new 16-hex-digit span id (never all zeros). */
export function newSpanId(): string {
  const id = hex8() + hex8();
  return id === "0000000000000000" ? newSpanId() : id;
}

/** A new 32-hex-digit OpenTelemetry trace id (never all zeros). */
export function newOtelTraceId(): string {
  const id = hex8() + hex8() + hex8() + hex8();
  return id === "00000000000000000000000000000000" ? newOtelTraceId() : id;
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
