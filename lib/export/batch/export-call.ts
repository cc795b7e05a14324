/**
 * One export call with a deadline: the client gets an `AbortSignal` that fires when the call
 * takes longer than the timeout (or is abandoned), and the caller hears exactly once how it ended.
 * Whatever the client does (throw, reject, return garbage, never answer), nothing escapes.
 */
import { runInBackground } from "../mlflow/background-requests";
import { ExportError } from "../errors";
import type { ExportOptions, ExportResult } from "../clients/trace-client";

/** How an export call ended: the client's answer (not yet validated) or an error. */
export type CallOutcome = { readonly result: unknown } | { readonly error: Error };

/** A running export call. */
export interface RunningCall {
  /** Aborts the call without reporting an outcome (the caller already settled its traces). */
  abandon(reason: Error): void;
  /** Whether the timeout timer keeps the process alive (only while someone flushes). */
  setKeepAlive(on: boolean): void;
}

export interface CallOptions {
  readonly timeoutMs: number;
  /** Attempt number reported in the timeout error. */
  readonly attempt: number;
  readonly keepAlive: boolean;
  readonly runOutsideTracing: <R>(fn: () => R) => R;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Calls `send(options)` now and reports its outcome to `onOutcome` once.
 *
 * @example
 * startExportCall((o) => client.export(traces, o), { timeoutMs: 30_000, attempt: 1, keepAlive: false,
 *   runOutsideTracing: (fn) => fn() }, (outcome) => console.log(outcome));
 */
export function startExportCall(
  send: (options: ExportOptions) => Promise<ExportResult>,
  options: CallOptions,
  onOutcome: (outcome: CallOutcome) => void,
): RunningCall {
  const controller = new AbortController();
  let done = false;
  const settle = (outcome: CallOutcome): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    onOutcome(outcome);
  };
  const timer = setTimeout(() => {
    const error = new ExportError(`export timed out after ${options.timeoutMs} ms`, { attempt: options.attempt });
    controller.abort(error);
    settle({ error });
  }, options.timeoutMs);
  if (!options.keepAlive) timer.unref();
  let pending: Promise<ExportResult>;
  try {
    const { signal } = controller;
    pending = options.runOutsideTracing(() => runInBackground(() => new Promise<ExportResult>((resolve) => resolve(send({ signal })))));
  } catch (error) {
    pending = Promise.reject(toError(error));
  }
  Promise.resolve(pending).then(
    (result) => settle({ result }),
    (error: unknown) => settle({ error: toError(error) }),
  );
  return {
    abandon(reason) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      controller.abort(reason);
    },
    setKeepAlive(on) {
      if (on) timer.ref();
      else timer.unref();
    },
  };
}
