/**
 * The fluent tracing API around the active span and completed traces.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { completedTraceById, lastCompletedTrace } from "./completed-traces";
import type { LiveSpan } from "./live-span";
import type { Trace } from "./trace";
import { stringifySafe, toJsonSafe } from "./serialize";

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
  /** Mutable key/value tags (strings; other values are JSON-encoded). */
  tags?: Record<string, unknown>;
  /** Immutable metadata, e.g. `mlflow.trace.user`, `mlflow.trace.session` (values cut at 250 chars). */
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
 * updateCurrentTrace({ tags: { env: "dev" }, metadata: { "mlflow.trace.user": userId } });
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
  const updates = (span.record.updates ??= {});
  for (const [key, value] of Object.entries(options.tags ?? {})) (updates.tags ??= {})[key] = asString(value);
  for (const [key, value] of Object.entries(options.metadata ?? {})) (updates.metadata ??= {})[key] = asString(value);
  if (options.clientRequestId !== undefined) updates.clientRequestId = options.clientRequestId;
  if (options.requestPreview !== undefined) updates.requestPreview = options.requestPreview;
  if (options.responsePreview !== undefined) updates.responsePreview = options.responsePreview;
  if (options.state !== undefined) {
    if (options.state !== "OK" && options.state !== "ERROR") {
      reportOnce("update-trace-state", "warn", `updateCurrentTrace() state must be "OK" or "ERROR", got ${JSON.stringify(options.state)}; ignored`);
    } else {
      updates.state = options.state;
    }
  }
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : stringifySafe(toJsonSafe(value, sdkState().limits));
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
