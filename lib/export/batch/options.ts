/**
 * Options of the batch processor, checked once in its constructor and frozen into a resolved
 * config, so the hot path (`enqueue`) reads plain fields and validates nothing.
 */
import { describeValue } from "../../internal/describe-value";
import { ConfigError } from "../errors";

/** The least a trace must offer the processor: an id that export failures refer to. */
export interface ExportableTrace {
  readonly info: { readonly traceId: string };
}

/**
 * Settings of a {@link BatchProcessor}. Every field is optional; defaults are listed per field.
 *
 * @example
 * new BatchProcessor(client, { maxBatchSize: 50, scheduledDelayMs: 500, onDeliveryFailed: saveLocally });
 */
export interface BatchProcessorOptions<T extends ExportableTrace = ExportableTrace> {
  /** Most traces held at once: waiting, in flight or waiting to retry. Default 2048. */
  readonly maxQueueSize?: number;
  /** Most bytes held at once, as measured by `sizeOf`. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  /** Most traces in one export call. Default 100; at most `maxQueueSize`. */
  readonly maxBatchSize?: number;
  /** How long a partial batch waits for more traces, ms. Default 1000. */
  readonly scheduledDelayMs?: number;
  /** Most export calls running at once. Default 2. */
  readonly maxConcurrentExports?: number;
  /** An export call not settled after this long is aborted (its `signal` fires) and retried, ms. Default 30000. */
  readonly exportTimeoutMs?: number;
  /** Ceiling of the first retry's random delay, ms. Default 500. */
  readonly initialBackoffMs?: number;
  /** Ceiling of any retry's random delay, ms. Default 10000. */
  readonly maxBackoffMs?: number;
  /** Attempts per trace, the first included (1 = never retry). Default `Infinity`: retries go on until `retryBudgetMs` is spent. */
  readonly maxAttempts?: number;
  /**
   * How long a trace keeps being retried after its first attempt, ms; the last retry runs when it
   * ends, so a server outage shorter than this loses nothing. Default 60000.
   */
  readonly retryBudgetMs?: number;
  /** A `Retry-After` longer than this makes the failure final instead of retrying early, ms. Default: the larger of `retryBudgetMs` and `2 * maxBackoffMs`. */
  readonly maxRetryAfterMs?: number;
  /** Flush when the event loop empties (`beforeExit`), and hand undelivered traces to `onDeliveryFailed` at `exit`. Default true. */
  readonly flushOnExit?: boolean;
  /** Deadline of the flush run at `beforeExit`, ms. Default 10000. */
  readonly exitFlushTimeoutMs?: number;
  /** Estimated size of a trace in bytes; called off the hot path, once per trace. Default: length of its JSON. */
  readonly sizeOf?: (trace: T) => number;
  /**
   * Receives traces that failed for good (non-retryable, out of attempts or budget, shut down,
   * exit). When it returns a promise, the traces count as settled (for `flush`) once it settles.
   * At `exit` it must work synchronously: it is called again there for batches it has not finished.
   */
  readonly onDeliveryFailed?: (traces: readonly T[], error: Error) => unknown;
  /** Wraps every client call, so export runs outside any active trace. Default: calls `fn` as is. */
  readonly runOutsideTracing?: <R>(fn: () => R) => R;
}

// Every option once: `satisfies` makes a BatchProcessorOptions field missing here a compile error.
/** The option names `configureExport` accepts (the hooks among them are ignored there). */
export const BATCH_OPTION_KEYS: readonly string[] = Object.keys({
  maxQueueSize: true,
  maxQueueBytes: true,
  maxBatchSize: true,
  scheduledDelayMs: true,
  maxConcurrentExports: true,
  exportTimeoutMs: true,
  initialBackoffMs: true,
  maxBackoffMs: true,
  maxAttempts: true,
  retryBudgetMs: true,
  maxRetryAfterMs: true,
  flushOnExit: true,
  exitFlushTimeoutMs: true,
  sizeOf: true,
  onDeliveryFailed: true,
  runOutsideTracing: true,
} satisfies Record<keyof BatchProcessorOptions, true>);

/** Options after defaults and validation. */
export interface ResolvedBatchOptions<T extends ExportableTrace> {
  readonly maxQueueSize: number;
  readonly maxQueueBytes: number;
  readonly maxBatchSize: number;
  readonly scheduledDelayMs: number;
  readonly maxConcurrentExports: number;
  readonly exportTimeoutMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxAttempts: number;
  readonly retryBudgetMs: number;
  readonly maxRetryAfterMs: number;
  readonly flushOnExit: boolean;
  readonly exitFlushTimeoutMs: number;
  readonly sizeOf: (trace: T) => number;
  readonly onDeliveryFailed: ((traces: readonly T[], error: Error) => unknown) | undefined;
  readonly runOutsideTracing: <R>(fn: () => R) => R;
}

/** Default trace size: the length of its JSON text (the size of the upload, give or take). */
export function estimateJsonBytes(trace: unknown): number {
  const text = JSON.stringify(trace) as string | undefined;
  return text === undefined ? 0 : text.length;
}

/** Node's timers overflow (and fire at once) above this. */
const MAX_TIMER_MS = 2_147_483_647;

const identity = <R>(fn: () => R): R => fn();

function check(name: string, value: unknown, fallback: number, kind: "int" | "ms"): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === "number" && (kind === "int" ? Number.isInteger(value) && value > 0 : Number.isFinite(value) && value >= 0 && value <= MAX_TIMER_MS);
  if (ok) return value;
  const expected = kind === "int" ? "a positive integer" : `a number of milliseconds from 0 to ${MAX_TIMER_MS}`;
  throw new ConfigError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new ConfigError(`Expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

/** Applies defaults and validates; throws a `ConfigError` naming the option on bad input. */
export function resolveBatchOptions<T extends ExportableTrace>(options: BatchProcessorOptions<T> = {}): ResolvedBatchOptions<T> {
  const maxQueueSize = check("maxQueueSize", options.maxQueueSize, 2048, "int");
  const maxBatchSize = check("maxBatchSize", options.maxBatchSize, Math.min(100, maxQueueSize), "int");
  if (maxBatchSize > maxQueueSize) {
    throw new ConfigError(
      `Expected \`maxBatchSize\` to be at most \`maxQueueSize\` (${maxQueueSize}), got ${maxBatchSize}; lower maxBatchSize or raise maxQueueSize`,
    );
  }
  const initialBackoffMs = check("initialBackoffMs", options.initialBackoffMs, 500, "ms");
  const maxBackoffMs = check("maxBackoffMs", options.maxBackoffMs, Math.max(10_000, initialBackoffMs), "ms");
  if (maxBackoffMs < initialBackoffMs) {
    throw new ConfigError(`Expected \`maxBackoffMs\` to be at least \`initialBackoffMs\` (${initialBackoffMs}), got ${maxBackoffMs}`);
  }
  const exportTimeoutMs = check("exportTimeoutMs", options.exportTimeoutMs, 30_000, "ms");
  if (exportTimeoutMs === 0) {
    throw new ConfigError("Expected `exportTimeoutMs` to be a number of milliseconds > 0, got 0");
  }
  const retryBudgetMs = check("retryBudgetMs", options.retryBudgetMs, 60_000, "ms");
  checkFunction("sizeOf", options.sizeOf);
  checkFunction("onDeliveryFailed", options.onDeliveryFailed);
  checkFunction("runOutsideTracing", options.runOutsideTracing);
  if (options.flushOnExit !== undefined && typeof options.flushOnExit !== "boolean") {
    throw new ConfigError(`Expected \`flushOnExit\` to be a boolean, got ${describeValue(options.flushOnExit)}`);
  }
  return Object.freeze({
    maxQueueSize,
    maxQueueBytes: check("maxQueueBytes", options.maxQueueBytes, 64 * 1024 * 1024, "int"),
    maxBatchSize,
    scheduledDelayMs: check("scheduledDelayMs", options.scheduledDelayMs, 1000, "ms"),
    maxConcurrentExports: check("maxConcurrentExports", options.maxConcurrentExports, 2, "int"),
    exportTimeoutMs,
    initialBackoffMs,
    maxBackoffMs,
    maxAttempts:
      options.maxAttempts === Number.POSITIVE_INFINITY ? options.maxAttempts : check("maxAttempts", options.maxAttempts, Number.POSITIVE_INFINITY, "int"),
    retryBudgetMs,
    maxRetryAfterMs: check("maxRetryAfterMs", options.maxRetryAfterMs, Math.max(retryBudgetMs, 2 * maxBackoffMs), "ms"),
    flushOnExit: options.flushOnExit ?? true,
    exitFlushTimeoutMs: check("exitFlushTimeoutMs", options.exitFlushTimeoutMs, 10_000, "ms"),
    sizeOf: options.sizeOf ?? estimateJsonBytes,
    onDeliveryFailed: options.onDeliveryFailed,
    runOutsideTracing: options.runOutsideTracing ?? identity,
  });
}
