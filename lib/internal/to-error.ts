/**
 * The one conversion of a thrown value into an `Error`, for places that record or report what was
 * thrown (export failures, lost traces). A user's own exception is never wrapped on its way back
 * to the user; this is only for what the SDK keeps.
 */

/**
 * `value` itself when it is an `Error`, else an `Error` whose message is `String(value)`.
 *
 * @example
 * toError("boom").message; // "boom"
 */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
