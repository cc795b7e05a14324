/**
 * The export side of the SDK's error family: failed requests and MLflow API errors, on the base
 * and `ConfigError` of `lib/internal/errors.ts` (re-exported here for the export code).
 */
import { MlflowHaystackError } from "../internal/errors";
import type { ExportFailure } from "./clients/trace-client";
import { toError } from "../internal/to-error";

export { ConfigError, MlflowHaystackError } from "../internal/errors";

/** Details of a failed export request. */
export interface ExportErrorDetails {
  /** Request path (never the full URL with credentials), e.g. `POST /api/3.0/mlflow/traces`. */
  readonly endpoint?: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Which attempt failed, when the caller retries. */
  readonly attempt?: number;
  /** From a `Retry-After` header, in milliseconds. */
  readonly retryAfterMs?: number;
  /** Overrides the default classification (network errors, 408, 429 and 5xx are retryable). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * A request to the trace destination failed (network error, timeout, non-2xx answer).
 *
 * @example
 * const { failures } = await client.export(traces, { signal });
 * for (const f of failures) if (f.error instanceof ExportError) console.error(f.error.endpoint, f.error.status);
 */
export class ExportError extends MlflowHaystackError {
  static override readonly kind: string = "ExportError";
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly attempt: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** True for network errors, timeouts, 408, 429 and 5xx (unless the thrower knew better): sending again may succeed. */
  readonly retryable: boolean;

  constructor(message: string, details: ExportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.attempt = details.attempt;
    this.retryAfterMs = details.retryAfterMs;
    const s = details.status;
    this.retryable = details.retryable ?? (s === undefined || s === 408 || s === 429 || s >= 500);
  }
}

/**
 * The MLflow server answered with an error body `{"error_code", "message"}`.
 *
 * @example
 * try { await client.getTrace("tr-0"); } catch (e) {
 *   if (e instanceof MlflowApiError && e.code === "RESOURCE_DOES_NOT_EXIST") console.log("no such trace");
 * }
 */
export class MlflowApiError extends ExportError {
  static override readonly kind: string = "MlflowApiError";
  /** MLflow `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`, or `HTTP_<status>` when the body had none. */
  readonly code: string;
  /** The server's own message (already free of credentials; the SDK never sends them in bodies). */
  readonly serverMessage: string;

  constructor(message: string, details: ExportErrorDetails & { code: string; serverMessage: string }) {
    super(message, details);
    this.code = details.code;
    this.serverMessage = details.serverMessage;
  }
}

/**
 * Turns any error from an export attempt into the processor's {@link ExportFailure}:
 * configuration errors and 4xx answers are final, everything else may be retried.
 *
 * @example
 * const failure = toExportFailure("tr-123", err);
 * if (failure.retryable) scheduleRetry(failure.retryAfterMs);
 */
export function toExportFailure(traceId: string, error: unknown): ExportFailure {
  const err = toError(error);
  if (err instanceof ExportError) {
    return {
      traceId,
      error: err,
      retryable: err.retryable,
      ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    };
  }
  return { traceId, error: err, retryable: false };
}

/** Socket errors that mean nothing answers at the destination (no server listening, no such host, no route). */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * True when `error` (or an error in its `cause` chain) says the destination cannot be reached at all,
 * as opposed to a slow or failing server: retrying it within a flush only makes the caller wait.
 *
 * @example
 * if (isDestinationUnreachable(failure.error)) stopWaitingFor(trace); // it keeps being retried
 */
export function isDestinationUnreachable(error: unknown): boolean {
  let current: unknown = error;
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (a vm context, a test runner).
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

/**
 * An argument of `logFeedback`, `logExpectation`, `updateAssessment`, ... is missing or malformed;
 * the message names the argument and what it should be.
 *
 * @example
 * try { await logFeedback({ traceId, name: "a.b", value: 1 }); } catch (e) { if (e instanceof InvalidAssessmentError) console.error(e.message); }
 */
export class InvalidAssessmentError extends MlflowHaystackError {
  static override readonly kind: string = "InvalidAssessmentError";
}

/**
 * The trace or the assessment does not exist where the SDK looked (memory, the local store).
 * A server answers with an `MlflowApiError` (`RESOURCE_DOES_NOT_EXIST`) instead.
 *
 * @example
 * try { await getAssessment(traceId, "a-123"); } catch (e) { if (e instanceof AssessmentNotFoundError) console.error(e.message); }
 */
export class AssessmentNotFoundError extends MlflowHaystackError {
  static override readonly kind: string = "AssessmentNotFoundError";
}
