/**
 * The SDK's one diagnostics channel. Silent unless enabled (`MLFLOW_HAYSTACK_DEBUG=1` or
 * {@link setDiagnosticsLogger}); repeated conditions are logged once and counted.
 */
import { envFlag } from "./env-flag";
import { onRegistryRefused } from "./global-registry";
import { sdkState } from "./global-state";
import { catchIfThenable } from "./thenable";

/** Severity of a diagnostics message. */
export type DiagnosticsLevel = "debug" | "info" | "warn" | "error";

/** Receives the SDK's own messages (never user data, never credentials). */
export type DiagnosticsLogger = (level: DiagnosticsLevel, message: string, error?: unknown) => void;

const PREFIX = "[mlflow-haystack]";
const DEBUG = envFlag("MLFLOW_HAYSTACK_DEBUG") === true;

/** Writes to stderr; used when `MLFLOW_HAYSTACK_DEBUG` is set and for user-facing warnings. */
export const stderrLogger: DiagnosticsLogger = (level, message, error) => {
  const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
  process.stderr.write(`${PREFIX} ${level}: ${message}${detail}\n`);
};

/** Routes the SDK's diagnostics to `logger`, or silences them with `undefined`. */
export function setDiagnosticsLogger(logger: DiagnosticsLogger | undefined): void {
  sdkState().diagnostics.logger = logger;
}

/** Logs a message through the configured logger, if any. Never throws. */
export function diag(level: DiagnosticsLevel, message: string, error?: unknown): void {
  const logger = sdkState().diagnostics.logger ?? (DEBUG ? stderrLogger : undefined);
  if (logger === undefined) return;
  try {
    catchIfThenable(logger(level, message, error), () => undefined);
  } catch {
    // A user logger that throws must not break tracing.
  }
}

/**
 * Counts an SDK fault under `key` and logs it the first time only.
 * Warnings meant for users (`warn`/`error`) go to stderr even when no logger is set,
 * unless silenced by `silent` (autolog `silent: true`).
 */
export function reportOnce(key: string, level: DiagnosticsLevel, message: string, error?: unknown): void {
  const d = sdkState().diagnostics;
  const count = (d.counts.get(key) ?? 0) + 1;
  d.counts.set(key, count);
  if (count > 1) return;
  if (d.logger !== undefined || DEBUG) diag(level, message, error);
  else if ((level === "warn" || level === "error") && !d.silent) stderrLogger(level, message, error);
}

/** Silences (or restores) the stderr warnings meant for users, as `autolog({ silent: true })` asks. */
export function setUserWarningsSilenced(silent: boolean): void {
  sdkState().diagnostics.silent = silent;
}

/** How often each SDK fault happened in this process, by key (for tests and health checks). */
export function getDiagnosticsCounts(): Record<string, number> {
  return Object.fromEntries(sdkState().diagnostics.counts);
}

/** Forgets counted faults, so the next occurrence is logged again. */
export function resetDiagnosticsCounts(): void {
  sdkState().diagnostics.counts.clear();
}

onRegistryRefused((notice) => reportOnce("registry.incompatible", "warn", notice));
