/**
 * The SDK's error family. Every class is matched by `instanceof` through a brand on the instance
 * rather than the prototype chain, so two installed copies of the package (ESM and CJS, or two
 * versions) still recognise each other's errors.
 */

import type { ExportFailure } from "./clients/trace-client";

const KINDS: unique symbol = Symbol.for("mlflow-haystack.errorKinds");

type Branded = { readonly [KINDS]?: readonly string[] };

function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const kinds = (value as Branded)[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * Base of every error the SDK throws or reports.
 *
 * @example
 * try { setTrackingUri("sqlite:///mlflow.db"); } catch (e) { if (e instanceof MlflowHaystackError) console.error(e.message); }
 */
export class MlflowHaystackError extends Error {
  static readonly kind: string = "MlflowHaystackError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && "kind" in c; c = Object.getPrototypeOf(c)) {
      const kind = (c as { kind: unknown }).kind;
      if (typeof kind === "string" && !kinds.includes(kind)) kinds.push(kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds, enumerable: false });
    this.name = new.target.kind;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasKind(value, this.kind);
  }
}

/**
 * Bad configuration: an unsupported tracking URI, a missing credential, a deleted experiment.
 * Thrown at configuration time (or when the exporter first resolves the configuration).
 *
 * @example
 * try { setTrackingUri("file:///tmp/mlruns"); } catch (e) { if (e instanceof ConfigError) process.exitCode = 2; }
 */
export class ConfigError extends MlflowHaystackError {
  static override readonly kind: string = "ConfigError";
}

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
  const err = error instanceof Error ? error : new Error(String(error));
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
