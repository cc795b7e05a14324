/** Telling a promise (or any thenable) from a plain value, without awaiting it. */

/**
 * Whether `value` has a callable `then`: what `await` and `Promise.resolve` treat as a promise.
 *
 * @example
 * if (isThenable(returned)) returned.then(undefined, () => undefined);
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

/**
 * Handles the rejection of `value` when it is a thenable (what a user callback typed to return
 * nothing may still return, being `async`): `onRejected` hears it, and it never becomes an
 * unhandled rejection, which ends a Node process.
 *
 * @example
 * catchIfThenable(logger(level, message), () => undefined);
 */
export function catchIfThenable(value: unknown, onRejected: (error: unknown) => void): void {
  if (!isThenable(value)) return;
  try {
    value.then(undefined, onRejected);
  } catch {
    // A `then` that throws settles nothing: there is no rejection to handle.
  }
}
