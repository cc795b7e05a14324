/**
 * What the tracing core keeps of each trace: which traces (head ratio, tail rules), what of their
 * content (span processors, `contentTracing`), and how long an unfinished trace may stay in memory.
 * Resolved once — from the environment on first use, then by `configureTracing` — into a frozen
 * object, so the per-span path reads one property and validates nothing.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { ENV_FLAG_SPELLINGS, envFlag } from "../internal/env-flag";
import { ratioBound, type RatioBound } from "./sampling";
import { makeEndHook, type EndHook, type SpanProcessor } from "./span-end-policy";

export type { SpanProcessor };

export interface TracePolicy {
  /** Head sampling ratio in [0, 1]. */
  readonly ratio: number;
  readonly bound: RatioBound;
  /** Keep a head-dropped trace when it ends in ERROR. */
  readonly keepErrors: boolean;
  /** Keep a head-dropped trace whose root ran at least this long, in ms. */
  readonly keepSlowerThanMs: number | undefined;
  /** Whether any tail rule is set: head-dropped traces are then recorded and decided at completion. */
  readonly tail: boolean;
  readonly spanProcessors: readonly SpanProcessor[];
  /** False: no inputs, outputs, previews, chunk contents or exception messages leave the process. */
  readonly contentTracing: boolean;
  /** A trace whose root has not ended after this long is ended as ERROR and exported, in ms. */
  readonly timeoutMs: number | undefined;
  /** Runs the processors and removes content as a span ends; undefined when neither is set (derived). */
  readonly endHook: EndHook | undefined;
}

/** `MLFLOW_TRACE_SAMPLING_RATIO`, or 1 when it is unset or invalid (reported). */
export function envRatio(): number {
  const raw = process.env["MLFLOW_TRACE_SAMPLING_RATIO"];
  if (raw === undefined || raw.trim() === "") return 1;
  const ratio = Number(raw);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  reportOnce(
    "sampling.env",
    "warn",
    `MLFLOW_TRACE_SAMPLING_RATIO must be a number between 0.0 and 1.0, got "${raw}"; every trace is kept (ratio 1.0). Set it to e.g. 0.1 to keep one trace in ten`,
  );
  return 1;
}

function envTimeoutMs(): number | undefined {
  const raw = process.env["MLFLOW_TRACE_TIMEOUT_SECONDS"];
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  reportOnce("trace-timeout.env", "warn", `MLFLOW_TRACE_TIMEOUT_SECONDS must be a number of seconds > 0, got "${raw}"; unfinished traces are not timed out`);
  return undefined;
}

function envContentTracing(): boolean {
  const flag = envFlag("MLFLOW_HAYSTACK_CONTENT_TRACING");
  if (flag !== "invalid") return flag !== false;
  // A privacy switch: a value that cannot be read keeps content out rather than sending it.
  reportOnce(
    "content-tracing.env",
    "warn",
    `MLFLOW_HAYSTACK_CONTENT_TRACING must be ${ENV_FLAG_SPELLINGS}, got "${process.env["MLFLOW_HAYSTACK_CONTENT_TRACING"] ?? ""}"; content tracing is off until it is fixed`,
  );
  return false;
}

function warnOnInvalidTracingEnabled(): void {
  if (envFlag("MLFLOW_TRACING_ENABLED") !== "invalid") return;
  reportOnce(
    "tracing-enabled.env",
    "warn",
    `MLFLOW_TRACING_ENABLED must be ${ENV_FLAG_SPELLINGS}, got "${process.env["MLFLOW_TRACING_ENABLED"] ?? ""}"; tracing stays on (set it to false to turn tracing off)`,
  );
}

/** Builds a frozen policy; `tail` is derived. */
export function makePolicy(fields: Omit<TracePolicy, "tail" | "bound" | "endHook">): TracePolicy {
  return Object.freeze({
    ...fields,
    bound: ratioBound(fields.ratio),
    tail: fields.ratio < 1 && (fields.keepErrors || fields.keepSlowerThanMs !== undefined),
    spanProcessors: Object.freeze([...fields.spanProcessors]),
    endHook: makeEndHook(fields.spanProcessors, fields.contentTracing),
  });
}

/** The policy in force (the environment's, until `configureTracing` changes it). */
export function tracePolicy(): TracePolicy {
  const state = sdkState();
  if (state.policy !== undefined) return state.policy;
  warnOnInvalidTracingEnabled();
  return (state.policy = makePolicy({
    ratio: envRatio(),
    keepErrors: false,
    keepSlowerThanMs: undefined,
    spanProcessors: [],
    contentTracing: envContentTracing(),
    timeoutMs: envTimeoutMs(),
  }));
}

/** Replaces the policy in force. */
export function setTracePolicy(policy: TracePolicy): void {
  sdkState().policy = policy;
}
