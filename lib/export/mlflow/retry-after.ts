/**
 * Reading an HTTP `Retry-After` header (RFC 9110 §10.2.3): either a number of seconds or an
 * HTTP date. Clients turn it into `ExportFailure.retryAfterMs`; the batch processor then never
 * retries that trace earlier than the server asked.
 */

/** Longest delay a header can ask for that we still represent (one day); beyond that it is nonsense. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Converts a `Retry-After` header value into milliseconds from `now`, or `undefined` when the
 * header is absent or unreadable. Dates in the past give 0.
 *
 * @example
 * parseRetryAfter("2");                                  // 2000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now); // ms until that date, or 0
 */
export function parseRetryAfter(value: string | readonly string[] | null | undefined, now: number = Date.now()): number | undefined {
  const first = typeof value === "string" || value === null || value === undefined ? value : value[0];
  if (first === null || first === undefined) return undefined;
  const text = first.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Math.round(Number(text) * 1000), MAX_RETRY_AFTER_MS);
  // An HTTP date starts with a day name; anything numeric that is not delay-seconds is garbage.
  if (/^[-+\d]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
