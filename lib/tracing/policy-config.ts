/**
 * The sampling, span-processor, content and timeout options of `configureTracing`, checked where
 * they are given (a wrong value throws, naming the option and what it takes) and merged into the
 * policy in force.
 */
import { describeValue } from "../internal/describe-value";
import { ConfigError } from "../internal/errors";
import { checkOptionKeys } from "../internal/option-keys";
import { envRatio, makePolicy, tracePolicy, type SpanProcessor, type TracePolicy } from "./trace-policy";

/** `configureTracing({ sampling })`: replaces the sampling settings as a whole. */
export interface SamplingConfig {
  /** Fraction of traces kept, in [0, 1]; decided once per trace from its id (default `MLFLOW_TRACE_SAMPLING_RATIO`, else 1). */
  ratio?: number;
  /** Keep every trace that ends in ERROR, even when the ratio drops it. */
  keepErrors?: boolean;
  /** Keep every trace whose root runs at least this many ms, even when the ratio drops it. */
  keepSlowerThanMs?: number;
}

const SAMPLING_KEYS: readonly (keyof SamplingConfig)[] = ["ratio", "keepErrors", "keepSlowerThanMs"];

interface PolicyOptions {
  sampling?: SamplingConfig;
  spanProcessors?: readonly SpanProcessor[];
  contentTracing?: boolean;
  traceTimeoutSeconds?: number;
}

function fail(option: string, expected: string, got: unknown): never {
  throw new ConfigError(`configureTracing: expected \`${option}\` to be ${expected}, got ${describeValue(got)}`);
}

function checkSampling(sampling: SamplingConfig): Pick<TracePolicy, "ratio" | "keepErrors" | "keepSlowerThanMs"> {
  if (typeof sampling !== "object" || sampling === null || Array.isArray(sampling))
    fail("sampling", "an object such as { ratio: 0.1, keepErrors: true }", sampling);
  checkOptionKeys("configureTracing: sampling", sampling, SAMPLING_KEYS);
  const { ratio, keepErrors, keepSlowerThanMs } = sampling;
  if (ratio !== undefined && !(typeof ratio === "number" && ratio >= 0 && ratio <= 1)) fail("sampling.ratio", "a number between 0 and 1", ratio);
  if (keepErrors !== undefined && typeof keepErrors !== "boolean") fail("sampling.keepErrors", "true or false", keepErrors);
  if (keepSlowerThanMs !== undefined && !(typeof keepSlowerThanMs === "number" && Number.isFinite(keepSlowerThanMs) && keepSlowerThanMs >= 0)) {
    fail("sampling.keepSlowerThanMs", "a finite number of milliseconds >= 0", keepSlowerThanMs);
  }
  return { ratio: ratio ?? envRatio(), keepErrors: keepErrors ?? false, keepSlowerThanMs };
}

/** The policy `options` make of the one in force, or undefined when they touch none of it. */
export function resolvePolicy(options: PolicyOptions): TracePolicy | undefined {
  const { sampling, spanProcessors, contentTracing, traceTimeoutSeconds } = options;
  if (sampling === undefined && spanProcessors === undefined && contentTracing === undefined && traceTimeoutSeconds === undefined) return undefined;
  const current = tracePolicy();
  const sampled = sampling === undefined ? current : checkSampling(sampling);
  if (spanProcessors !== undefined) {
    if (!Array.isArray(spanProcessors)) fail("spanProcessors", "an array of functions (span) => void", spanProcessors);
    spanProcessors.forEach((p: unknown, i) => {
      if (typeof p !== "function") fail(`spanProcessors[${i}]`, "a function (span) => void", p);
    });
  }
  if (contentTracing !== undefined && typeof contentTracing !== "boolean") fail("contentTracing", "true or false", contentTracing);
  if (traceTimeoutSeconds !== undefined && !(typeof traceTimeoutSeconds === "number" && Number.isFinite(traceTimeoutSeconds) && traceTimeoutSeconds >= 0)) {
    fail("traceTimeoutSeconds", "a finite number of seconds >= 0 (0 turns the timeout off)", traceTimeoutSeconds);
  }
  return makePolicy({
    ratio: sampled.ratio,
    keepErrors: sampled.keepErrors,
    keepSlowerThanMs: sampled.keepSlowerThanMs,
    spanProcessors: spanProcessors ?? current.spanProcessors,
    contentTracing: contentTracing ?? current.contentTracing,
    timeoutMs: traceTimeoutSeconds === undefined ? current.timeoutMs : traceTimeoutSeconds === 0 ? undefined : traceTimeoutSeconds * 1000,
  });
}
