/**
 * The head sampling rule of MLflow's Python SDK: OpenTelemetry's `ParentBased(TraceIdRatioBased)`.
 * A root span is kept when the low 64 bits of its trace id, read as an unsigned integer, are below
 * `round(ratio × 2^64)`; a span continuing a remote or OpenTelemetry parent follows that parent's
 * sampled flag. The same trace id gives the same decision here and in Python, so a trace crossing
 * services is kept or dropped on every side.
 */

/** `round(ratio × 2^64)` split into 32-bit halves, so the comparison needs no BigInt per trace. */
export interface RatioBound {
  readonly hi: number;
  readonly lo: number;
}

/**
 * Python's `round(rate * (2**64))`: the product is exact in binary floating point, and `round`
 * breaks ties to even (only ratios below 2^-11 can have a fractional part).
 *
 * @example
 * ratioBound(0.5); // { hi: 2147483648, lo: 0 }
 */
export function ratioBound(ratio: number): RatioBound {
  const scaled = ratio * 2 ** 64;
  let whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (fraction > 0.5 || (fraction === 0.5 && whole % 2 === 1)) whole += 1;
  const big = BigInt(whole);
  return { hi: Number(big >> 32n), lo: Number(big & 0xffffffffn) };
}

/**
 * Whether `TraceIdRatioBased` keeps the trace with this 32-hex-digit OpenTelemetry trace id.
 *
 * @example
 * keepsTraceId("0af7651916cd43dd8448eb211c80319c", ratioBound(0.5)); // true: 0x8448eb21… < 2^63
 */
export function keepsTraceId(otelTraceId: string, bound: RatioBound): boolean {
  const hi = parseInt(otelTraceId.slice(16, 24), 16);
  if (hi !== bound.hi) return hi < bound.hi;
  return parseInt(otelTraceId.slice(24, 32), 16) < bound.lo;
}
