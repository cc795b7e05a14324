/**
 * W3C Trace Context (`traceparent` / `tracestate`) parsing and formatting, with no dependency on
 * OpenTelemetry. https://www.w3.org/TR/trace-context/
 */

/** A parent span in another process (or another tracing system), as `traceparent` carries it. */
export interface RemoteParent {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  readonly sampled: boolean;
  /** The raw `tracestate` header, passed on unchanged. */
  readonly traceState: string | undefined;
}

/** Header values as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object hold them. */
export type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);
/** The spec lets vendors drop `tracestate` beyond 512 characters rather than truncate it. */
const MAX_TRACESTATE_LENGTH = 512;

/** A header by case-insensitive name; repeated values are joined with `,` as HTTP allows. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.join(",");
}

/**
 * Parses a `traceparent` value; `undefined` when it is missing or invalid (the spec says to
 * start a new trace then). Versions above 00 are read by their first four fields.
 *
 * @example
 * parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
 * // { traceId: "0af7…", spanId: "b7ad…", sampled: true, traceState: undefined }
 */
export function parseTraceparent(traceparent: string | undefined, tracestate?: string): RemoteParent | undefined {
  if (traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  const state = tracestate?.trim();
  return {
    traceId,
    spanId,
    sampled: (parseInt(flags, 16) & 1) === 1,
    traceState: state === undefined || state === "" || state.length > MAX_TRACESTATE_LENGTH ? undefined : state,
  };
}

/** Reads `traceparent` and `tracestate` from request headers. */
export function remoteParentFromHeaders(headers: HeaderSource): RemoteParent | undefined {
  return parseTraceparent(readHeader(headers, "traceparent"), readHeader(headers, "tracestate"));
}

/**
 * A version-00 `traceparent` value.
 *
 * @example
 * formatTraceparent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true); // "00-0af7…-b7ad…-01"
 */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}
