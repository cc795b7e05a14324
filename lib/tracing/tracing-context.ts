/**
 * `tracingContext(options, fn)`, the equivalent of Python's `mlflow.tracing.context`: every trace
 * started inside `fn` gets the session, user, metadata and tags (stamped when its root span
 * starts, as Python does), and `enabled: false` turns tracing off inside `fn` only. Nested scopes
 * merge, the inner value winning. The scope is an immutable frame entered with
 * `AsyncLocalStorage.run`, created on first use so processes that never call it pay nothing.
 */
import { describeValue } from "../internal/describe-value";
import { AsyncLocalStorage } from "node:async_hooks";
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { toJsonSafeEntry } from "./serialize";
import { pythonRepr } from "../internal/python-repr";
import { isSecretKey } from "../internal/redaction";

/** Metadata keys MLflow groups traces by (Sessions page, `metadata.\`mlflow.trace.session\``). */
export const TraceMetadataKey = { SESSION: "mlflow.trace.session", USER: "mlflow.trace.user" } as const;

/** MLflow rejects (or truncates) trace metadata values beyond 250 characters. */
export const MAX_ID_LENGTH = 250;

/** Options of {@link tracingContext}. */
export interface TracingContextOptions {
  /** Conversation id: metadata `mlflow.trace.session` (≤ 250 chars); grouped on the MLflow UI's Sessions page. */
  session?: string;
  /** End user id: metadata `mlflow.trace.user` (≤ 250 chars). */
  user?: string;
  /** Trace metadata (immutable once the trace is logged). */
  metadata?: Record<string, unknown>;
  /** Trace tags. */
  tags?: Record<string, unknown>;
  /** `false` turns tracing off inside the scope (only there); `true` turns it back on in a nested scope. */
  enabled?: boolean;
}

/** A scope as it applies (SDK-internal; not exported from an entry point): the merge of every enclosing `tracingContext`. */
export interface TraceContextFrame {
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** `undefined`: inherited from the global switch. */
  readonly enabled: boolean | undefined;
  /** Whether the frame has any metadata or tags (skips two copies per trace when not). */
  readonly stamps: boolean;
}

/** @internal The innermost scope around the caller, if any. */
export function currentTraceContext(): TraceContextFrame | undefined {
  return sdkState().traceContext?.getStore();
}

/**
 * A session or user id as trace metadata, or undefined (reported) when it is not a string of at
 * most 250 characters: a cut id would group unrelated conversations together.
 */
export function checkedId(api: string, option: "session" | "user", value: unknown): string | undefined {
  if (typeof value === "string" && value.length <= MAX_ID_LENGTH && value !== "") return value;
  const got = typeof value === "string" && value !== "" ? `a string of ${value.length} characters` : describeValue(value);
  reportOnce(
    `${api}.invalid-${option}`,
    "error",
    `${api}() expected \`${option}\` to be a non-empty string of at most ${MAX_ID_LENGTH} characters (MLflow's limit for trace metadata), got ${got}; ` +
      `the ${option} id was not recorded. ${typeof value === "string" && value.length > MAX_ID_LENGTH ? "Pass a shorter id, e.g. a hash of it" : `Pass the ${option}'s id as a string, or leave \`${option}\` out`}`,
  );
  return undefined;
}

/**
 * A tag or metadata value as text, as MLflow's Python SDK writes it (`str(value)`: `True`, `None`,
 * `1e-05`, `{'a': [1, None]}`), so filters written for Python's traces match ours; capped like any
 * traced value, secrets redacted by name. A number skips the JSON-safe copy, which would turn NaN
 * into the text "NaN" (Python: `nan`).
 */
export function traceValueText(key: string, value: unknown): string {
  const safe = typeof value === "number" && !isSecretKey(key) ? value : toJsonSafeEntry(key, value, sdkState().limits);
  return typeof safe === "string" ? safe : pythonRepr(safe);
}

function record(api: string, option: string, value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    reportOnce(
      `${api}.invalid-${option}`,
      "error",
      `${api}() expected \`${option}\` to be an object of string values such as { env: "prod" }, got ${describeValue(value)}; it was ignored`,
    );
    return out;
  }
  for (const key of Object.keys(value)) out[key] = traceValueText(key, (value as Record<string, unknown>)[key]);
  return out;
}

function frameFor(options: TracingContextOptions, outer: TraceContextFrame | undefined): TraceContextFrame {
  const metadata = { ...outer?.metadata, ...record("tracingContext", "metadata", options.metadata) };
  if (options.session !== undefined) {
    const session = checkedId("tracingContext", "session", options.session);
    if (session !== undefined) metadata[TraceMetadataKey.SESSION] = session;
  }
  if (options.user !== undefined) {
    const user = checkedId("tracingContext", "user", options.user);
    if (user !== undefined) metadata[TraceMetadataKey.USER] = user;
  }
  const tags = { ...outer?.tags, ...record("tracingContext", "tags", options.tags) };
  let enabled = outer?.enabled;
  if (options.enabled !== undefined) {
    if (typeof options.enabled === "boolean") enabled = options.enabled;
    else
      reportOnce(
        "tracingContext.invalid-enabled",
        "error",
        `tracingContext() expected \`enabled\` to be true or false, got a ${typeof options.enabled}; it was ignored`,
      );
  }
  return Object.freeze({ metadata, tags, enabled, stamps: Object.keys(metadata).length + Object.keys(tags).length > 0 });
}

/**
 * Runs `fn` with every trace started inside it — by `startSpan`, `traced`, autologged pipelines
 * and agents — carrying the session, user, metadata and tags; returns what `fn` returns (its
 * promise, for an async `fn`) and rethrows what it throws, unchanged. `enabled: false` turns
 * tracing off inside `fn` only. Nested scopes merge; the inner value wins.
 *
 * @example
 * await tracingContext({ session: conversationId, user: userId, tags: { app: "support-bot" } }, () =>
 *   pipe.run({ prompt_builder: { question } }),
 * );
 */
export function tracingContext<T>(options: TracingContextOptions, fn: () => T): T {
  let frame: TraceContextFrame;
  const state = sdkState();
  try {
    const als = (state.traceContext ??= new AsyncLocalStorage<TraceContextFrame>());
    frame = frameFor(typeof options === "object" && options !== null ? options : {}, als.getStore());
  } catch (error) {
    reportOnce("tracingContext.failed", "error", "tracingContext() could not read its options; fn runs without them", error);
    return fn();
  }
  return state.traceContext.run(frame, fn);
}
