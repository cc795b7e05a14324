/**
 * The fluent tracing API around the active span and completed traces.
 */
import { describeValue } from "../internal/describe-value";
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { completedTraceById, lastCompletedTrace } from "./completed-traces";
import type { LiveSpan } from "./live-span";
import { traceRecordOf } from "./trace-record";
import type { Trace } from "./trace";
import { stringifySafe, toJsonSafeEntry } from "./serialize";
import { checkedId, traceValueText, TraceMetadataKey } from "./tracing-context";

/**
 * The newest trace completed in this process (synchronous; no server round trip), or undefined.
 *
 * @example
 * await pipe.run({ retriever: { query } });
 * const trace = getLastActiveTrace();
 * console.log(trace?.info.tokenUsage);
 */
export function getLastActiveTrace(): Trace | undefined {
  return lastCompletedTrace();
}

/** The id of the newest completed trace, or undefined. */
export function getLastActiveTraceId(): string | undefined {
  return lastCompletedTrace()?.info.traceId;
}

/**
 * A trace by id: from memory, else from the configured destination (local store or server).
 *
 * @example
 * const trace = await getTrace("tr-0af7651916cd43dd8448eb211c80319c");
 */
export async function getTrace(traceId: string): Promise<Trace | undefined> {
  const inMemory = completedTraceById(traceId);
  if (inMemory !== undefined) return inMemory;
  const reader = sdkState().traceReader;
  return reader === undefined ? undefined : reader(traceId);
}

/** The span active in the current async context, or undefined. */
export function getCurrentActiveSpan(): LiveSpan | undefined {
  return sdkState().context.getStore();
}

/** Options of {@link updateCurrentTrace}. */
export interface UpdateTraceOptions {
  /**
   * Conversation id (≤ 250 chars): metadata `mlflow.trace.session`, and `session.id` on the root
   * span over OTLP; the MLflow UI's Sessions page groups traces by it.
   */
  session?: string;
  /** End user id (≤ 250 chars): metadata `mlflow.trace.user`, and `user.id` on the root span over OTLP. */
  user?: string;
  /**
   * Mutable key/value tags (keys cut at 250 chars, values at 4096). Other values than strings are
   * written as Python's `str()` writes them, as MLflow's Python SDK does: `true` → `"True"`,
   * `null` → `"None"`, `{ a: [1, null] }` → `"{'a': [1, None]}"` (an integral number as an int: `1`).
   */
  tags?: Record<string, unknown>;
  /** Immutable metadata, e.g. `mlflow.trace.user`, `mlflow.trace.session` (keys and values cut at 250 chars; values as for `tags`). */
  metadata?: Record<string, unknown>;
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  /** Overrides the state taken from the root span. */
  state?: "OK" | "ERROR";
}

/**
 * Updates the trace of the active span. Outside a span it does nothing and warns once.
 *
 * @example
 * updateCurrentTrace({ session: conversationId, user: userId, tags: { env: "dev" } });
 */
export function updateCurrentTrace(options: UpdateTraceOptions): void {
  try {
    applyTraceUpdate(options);
  } catch (error) {
    reportOnce("update-trace", "warn", "updateCurrentTrace() got values it could not read; the trace was updated in part", error);
  }
}

function applyTraceUpdate(options: UpdateTraceOptions): void {
  const span = sdkState().context.getStore();
  if (span === undefined) {
    reportOnce("update-trace-no-span", "warn", "updateCurrentTrace() was called outside any span; nothing was updated");
    return;
  }
  if (typeof options !== "object" || options === null) {
    invalidUpdate("options", 'an options object such as { tags: { env: "dev" } }', options);
    return;
  }
  const updates = (traceRecordOf(span).updates ??= {});
  const tags = recordOption("tags", options.tags);
  const metadata = recordOption("metadata", options.metadata);
  for (const key of Object.keys(tags)) (updates.tags ??= {})[key] = traceValueText(key, tags[key]);
  for (const key of Object.keys(metadata)) (updates.metadata ??= {})[key] = traceValueText(key, metadata[key]);
  if (options.session !== undefined) {
    const session = checkedId("updateCurrentTrace", "session", options.session);
    if (session !== undefined) (updates.metadata ??= {})[TraceMetadataKey.SESSION] = session;
  }
  if (options.user !== undefined) {
    const user = checkedId("updateCurrentTrace", "user", options.user);
    if (user !== undefined) (updates.metadata ??= {})[TraceMetadataKey.USER] = user;
  }
  if (options.clientRequestId !== undefined) updates.clientRequestId = stringOption("clientRequestId", options.clientRequestId);
  if (options.requestPreview !== undefined) updates.requestPreview = stringOption("requestPreview", options.requestPreview);
  if (options.responsePreview !== undefined) updates.responsePreview = stringOption("responsePreview", options.responsePreview);
  if (options.state !== undefined) {
    if (options.state !== "OK" && options.state !== "ERROR") {
      reportOnce("update-trace-state", "warn", `updateCurrentTrace() state must be "OK" or "ERROR", got ${describeValue(options.state)}; ignored`);
    } else {
      updates.state = options.state;
    }
  }
}

function invalidUpdate(option: string, expected: string, got: unknown): void {
  reportOnce(
    `update-trace.invalid-option.${option}`,
    "warn",
    `TypeError: updateCurrentTrace() expected \`${option}\` to be ${expected}, got ${describeValue(got)}; it was converted or ignored`,
  );
}

function recordOption(option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  invalidUpdate(option, "an object of string values", value);
  return {};
}

/** A string option; anything else (a BigInt, an object) is reported and JSON-encoded (Python refuses it). */
function stringOption(option: string, value: unknown): string {
  if (typeof value === "string") return traceValueText(option, value);
  invalidUpdate(option, "a string", value);
  const safe = toJsonSafeEntry(option, value, sdkState().limits);
  return typeof safe === "string" ? safe : stringifySafe(safe);
}

/**
 * Turns all tracing on or off for the process. Off, `startSpan` and `@traced` call straight through.
 *
 * @example
 * tracing.disable(); // e.g. in a latency-critical batch job
 */
export const tracing = {
  enable(): void {
    sdkState().tracingEnabled = true;
  },
  disable(): void {
    sdkState().tracingEnabled = false;
  },
  isEnabled(): boolean {
    return sdkState().tracingEnabled;
  },
};
