/**
 * Checks the options handed to `startSpan` and `traced` where they are given. A wrong option is
 * reported once (naming what was expected and what arrived) and replaced by its default, so the
 * user's function always runs — traced with what could be used — and nothing is thrown.
 */
import { describeValue } from "../internal/describe-value";
import { reportOnce } from "../internal/diagnostics";

/** Options after checking: a string name and span type, attributes as an object or absent. */
export interface CheckedSpanOptions {
  readonly name: string;
  readonly spanType: string;
  readonly inputs: unknown;
  readonly attributes: Record<string, unknown> | undefined;
}

const DEFAULT_NAME = "span";

function invalid(api: string, key: string, expected: string, got: unknown, fallback: string): void {
  reportOnce(
    `${api}.invalid-option.${key}`,
    "warn",
    `TypeError: ${api}() expected ${expected}, got ${describeValue(got)}; ${fallback} (the function still runs)`,
  );
}

function readOption(options: object, key: string): unknown {
  try {
    return (options as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The span name, type and attributes from `options[key]`, each replaced by its default when unusable. */
function checkFields(api: string, options: object, defaultName: string): { name: string; spanType: string; attributes: Record<string, unknown> | undefined } {
  const rawName = readOption(options, "name");
  let name = defaultName;
  if (typeof rawName === "string" && rawName !== "") name = rawName;
  else if (rawName !== undefined || api === "startSpan") invalid(api, "name", "`name` to be a non-empty string", rawName, `the span is named "${defaultName}"`);
  const rawType = readOption(options, "spanType");
  let spanType = "UNKNOWN";
  if (typeof rawType === "string" && rawType !== "") spanType = rawType;
  else if (rawType !== undefined) invalid(api, "spanType", "`spanType` to be a string such as SpanType.CHAIN", rawType, 'the span type is "UNKNOWN"');
  const rawAttributes = readOption(options, "attributes");
  let attributes: Record<string, unknown> | undefined;
  if (typeof rawAttributes === "object" && rawAttributes !== null && !Array.isArray(rawAttributes)) attributes = rawAttributes as Record<string, unknown>;
  else if (rawAttributes !== undefined) invalid(api, "attributes", "`attributes` to be an object of key/value pairs", rawAttributes, "they are ignored");
  return { name, spanType, attributes };
}

/**
 * `startSpan`'s first argument made usable: a bare string is taken as the name, anything that is
 * not an options object gives a span with default options.
 */
export function checkStartSpanOptions(options: unknown): StartSpanLike {
  if (isWellFormed(options)) return options;
  if (typeof options === "string" && options !== "") {
    invalid("startSpan", "options", 'an options object such as { name: "retrieve" } as its first argument', options, "it is used as the span name");
    return { name: options, spanType: "UNKNOWN", inputs: undefined, attributes: undefined };
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    invalid("startSpan", "options", 'an options object such as { name: "retrieve" } as its first argument', options, `the span is named "${DEFAULT_NAME}"`);
    return { name: DEFAULT_NAME, spanType: "UNKNOWN", inputs: undefined, attributes: undefined };
  }
  return { ...checkFields("startSpan", options, DEFAULT_NAME), inputs: readOption(options, "inputs"), samplingRatio: readOption(options, "samplingRatio") };
}

/** What `openSpan` reads; a well-formed options object passes through as it is. */
export interface StartSpanLike {
  readonly name: string;
  readonly spanType?: string | undefined;
  readonly inputs?: unknown;
  readonly attributes?: Record<string, unknown> | undefined;
  /** Checked where it is used, with {@link checkSamplingRatio}. */
  readonly samplingRatio?: unknown;
}

/** A per-function sampling ratio in [0, 1], or undefined (reported) when it is anything else. */
export function checkSamplingRatio(api: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && value >= 0 && value <= 1) return value;
  invalid(api, "samplingRatio", "`samplingRatio` to be a number between 0 and 1 (e.g. 0.1 keeps one trace in ten)", value, "the global ratio applies");
  return undefined;
}

/** The common case, checked without allocating: a name, and a span type and attributes of the right kinds. */
function isWellFormed(options: unknown): options is StartSpanLike {
  if (typeof options !== "object" || options === null) return false;
  try {
    const { name, spanType, attributes } = options as Record<string, unknown>;
    return (
      typeof name === "string" &&
      name !== "" &&
      (spanType === undefined || (typeof spanType === "string" && spanType !== "")) &&
      (attributes === undefined || (typeof attributes === "object" && attributes !== null && !Array.isArray(attributes)))
    );
  } catch {
    return false;
  }
}

/** `traced`'s options made usable; `defaultName` is the function's own name. */
export function checkTracedOptions(
  options: unknown,
  defaultName: string,
): {
  name: string;
  spanType: string;
  attributes: Record<string, unknown> | undefined;
  outputReducer: ((chunks: unknown[]) => unknown) | undefined;
  samplingRatio: number | undefined;
} {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    if (options !== undefined) invalid("traced", "options", "an options object such as { spanType: SpanType.TOOL }", options, "defaults are used");
    return { name: defaultName, spanType: "UNKNOWN", attributes: undefined, outputReducer: undefined, samplingRatio: undefined };
  }
  const reducer = readOption(options, "outputReducer");
  if (reducer !== undefined && typeof reducer !== "function") {
    invalid("traced", "outputReducer", "`outputReducer` to be a function of the chunk list", reducer, "the chunk list is recorded as it is");
  }
  return {
    ...checkFields("traced", options, defaultName),
    outputReducer: typeof reducer === "function" ? (reducer as (chunks: unknown[]) => unknown) : undefined,
    samplingRatio: checkSamplingRatio("traced", readOption(options, "samplingRatio")),
  };
}
