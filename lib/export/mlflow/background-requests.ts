/**
 * Requests the batch processor makes in the background must not keep the process alive on their
 * own, as its timers do not: a script whose server hangs would otherwise live until every retry
 * is spent, long after it finished, instead of reaching `beforeExit` and its bounded exit flush.
 * The processor runs each export call inside {@link runInBackground}; the HTTP transport unrefs
 * the sockets of requests started there. While a flush waits, the processor's ref'd timers hold
 * the process open instead, with a deadline.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const background = new AsyncLocalStorage<true>();

/**
 * Runs `fn` so that requests it starts (now or in its continuations) do not hold the process open.
 *
 * @example
 * runInBackground(() => client.export(traces, { signal }));
 */
export function runInBackground<R>(fn: () => R): R {
  return background.run(true, fn);
}

/** True inside {@link runInBackground}. */
export function isBackgroundRequest(): boolean {
  return background.getStore() === true;
}
