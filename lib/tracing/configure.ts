/**
 * Process-wide tracing settings: serialization limits, the completed-trace buffer and the wait for
 * late child spans. Validated here, once, so the per-span path never checks them.
 */
import { describeValue } from "../internal/describe-value";
import { ConfigError } from "../internal/errors";
import { checkOptionKeys } from "../internal/option-keys";
import { sdkState } from "../internal/global-state";
import { resizeCompletedTraces } from "./completed-traces";
import { DEFAULT_MAX_SPAN_LENGTH, DEFAULT_MAX_VALUE_LENGTH } from "./snapshotter";
import { resolvePolicy, type SamplingConfig } from "./policy-config";
import type { SpanProcessor } from "./trace-policy";

/** Settings for {@link configureTracing}; omitted fields keep their value. */
export interface TracingConfig {
  /** Longest string kept in inputs, outputs and attributes (default 1,000,000 chars); longer ones are cut with a marker. */
  maxStringLength?: number;
  /** Deepest nesting kept (default 20); deeper values become `"[Object]"` / `"[Array]"`. */
  maxDepth?: number;
  /** Most array items, object keys or map entries kept (default 10,000). */
  maxCollectionItems?: number;
  /**
   * Largest serialized size, in chars, kept for one value: a span's inputs, its outputs, each
   * attribute, each event's attributes, each trace tag and metadata value (default 4,000,000).
   * Beyond it strings are cut and collections end with a `"...[N more items: size cap reached]"`
   * marker, so a value costs bounded time and memory however many references it holds.
   */
  maxValueLength?: number;
  /**
   * Largest serialized size, in chars, kept for one span's attributes and events together
   * (default 16,000,000; inputs and outputs have `maxValueLength` each): a value recorded past it
   * is cut the same way, so a span holds at most 2 × maxValueLength + maxSpanLength.
   */
  maxSpanLength?: number;
  /** Completed traces kept in memory for `getLastActiveTrace()` / `getTrace()` (default 100). */
  completedTraceCapacity?: number;
  /** How long a trace whose root ended waits for open children, in ms (default 5,000). */
  lateSpanWaitMs?: number;
  /**
   * Which traces are kept: a head `ratio` (default `MLFLOW_TRACE_SAMPLING_RATIO`, else 1), decided
   * per trace id as MLflow's Python SDK does, and tail rules that keep a dropped trace anyway when
   * it ends in ERROR (`keepErrors`) or runs at least `keepSlowerThanMs`.
   */
  sampling?: SamplingConfig;
  /**
   * Functions that see each span as it ends, before export, and may rewrite its inputs, outputs
   * and attributes (e.g. to mask PII). Replaces the list; `[]` removes them.
   */
  spanProcessors?: readonly SpanProcessor[];
  /**
   * `false` (or `MLFLOW_HAYSTACK_CONTENT_TRACING=false`): no inputs, outputs, previews, chunk
   * values or exception messages leave the process; the tree, timings, types, usage and cost do.
   */
  contentTracing?: boolean;
  /**
   * A trace whose root span has not ended this many seconds after it started is ended as ERROR
   * and exported (default `MLFLOW_TRACE_TIMEOUT_SECONDS`, else never); `0` turns it off.
   */
  traceTimeoutSeconds?: number;
}

// Every option once: `satisfies` makes a TracingConfig field missing here a compile error.
const TRACING_CONFIG_KEYS = Object.keys({
  maxStringLength: true,
  maxDepth: true,
  maxCollectionItems: true,
  maxValueLength: true,
  maxSpanLength: true,
  completedTraceCapacity: true,
  lateSpanWaitMs: true,
  sampling: true,
  spanProcessors: true,
  contentTracing: true,
  traceTimeoutSeconds: true,
} satisfies Record<keyof TracingConfig, true>);

function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`configureTracing: expected \`${name}\` to be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Changes tracing limits for the whole process. A bad value or an unknown option throws
 * {@link ConfigError} and changes nothing.
 *
 * @example
 * configureTracing({ maxStringLength: 100_000, completedTraceCapacity: 10 });
 */
export function configureTracing(config: TracingConfig): void {
  checkOptionKeys("configureTracing", config, TRACING_CONFIG_KEYS);
  const state = sdkState();
  const limits = { ...state.limits };
  limits.maxStringLength = positiveInteger("maxStringLength", config.maxStringLength) ?? limits.maxStringLength;
  limits.maxDepth = positiveInteger("maxDepth", config.maxDepth) ?? limits.maxDepth;
  limits.maxCollectionItems = positiveInteger("maxCollectionItems", config.maxCollectionItems) ?? limits.maxCollectionItems;
  limits.maxValueLength = positiveInteger("maxValueLength", config.maxValueLength) ?? limits.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
  limits.maxSpanLength = positiveInteger("maxSpanLength", config.maxSpanLength) ?? limits.maxSpanLength ?? DEFAULT_MAX_SPAN_LENGTH;
  const capacity = positiveInteger("completedTraceCapacity", config.completedTraceCapacity);
  let lateWait = state.lateSpanWaitMs;
  if (config.lateSpanWaitMs !== undefined) {
    if (!Number.isFinite(config.lateSpanWaitMs) || config.lateSpanWaitMs < 0) {
      throw new ConfigError(`configureTracing: expected \`lateSpanWaitMs\` to be a finite number >= 0, got ${describeValue(config.lateSpanWaitMs)}`);
    }
    lateWait = config.lateSpanWaitMs;
  }
  const policy = resolvePolicy(config);
  state.limits = limits;
  state.lateSpanWaitMs = lateWait;
  if (policy !== undefined) state.policy = policy;
  if (capacity !== undefined) resizeCompletedTraces(capacity);
}
