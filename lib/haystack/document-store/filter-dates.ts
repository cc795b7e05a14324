/**
 * Date comparison for filters, as Haystack does it: strings compared with `>`/`<` must be ISO
 * dates; a naive date compared with an aware one takes the aware one's UTC offset, unless
 * `strict_datetime_comparison` is on, when they never match.
 */
import { FilterError } from "./errors";

/** A parsed date: wall-clock milliseconds (as if UTC) plus its offset in minutes, or null if naive. */
export interface ParsedDate {
  wallMs: number;
  offsetMinutes: number | null;
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses an ISO-8601 date string (or a `Date`, which is aware); throws {@link FilterError} otherwise. */
export function parseIsoDate(value: unknown): ParsedDate {
  if (value instanceof Date) return { wallMs: value.getTime(), offsetMinutes: 0 };
  const m = typeof value === "string" ? ISO.exec(value.trim()) : null;
  if (m === null) {
    throw new FilterError(
      `Can't compare ${typeof value === "string" ? JSON.stringify(value) : typeof value} using operators '>', '>=', '<', '<='. ` +
        'Strings are only comparable if they are ISO formatted dates (e.g. "2024-05-01" or "2024-05-01T12:00:00+02:00").',
    );
  }
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
  let offsetMinutes: number | null = null;
  if (tz !== undefined) {
    if (tz.toUpperCase() === "Z") offsetMinutes = 0;
    else {
      const digits = tz.slice(1).replace(":", "");
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
      offsetMinutes = tz.startsWith("-") ? -minutes : minutes;
    }
  }
  return { wallMs, offsetMinutes };
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDates(a: ParsedDate, b: ParsedDate): number {
  const offsetA = a.offsetMinutes ?? b.offsetMinutes ?? 0;
  const offsetB = b.offsetMinutes ?? a.offsetMinutes ?? 0;
  return a.wallMs - offsetA * 60_000 - (b.wallMs - offsetB * 60_000);
}

/** A full `YYYY-MM-DD` prefix, as Haystack requires before reading a string as a date for `==`. */
const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}(?:$|[Tt ])/;

function asDate(value: unknown): ParsedDate | undefined {
  if (!(value instanceof Date) && !(typeof value === "string" && ISO_DATE_PREFIX.test(value))) return undefined;
  try {
    return parseIsoDate(value);
  } catch {
    return undefined;
  }
}

/**
 * Haystack 3.4's date equality for `==`, `!=`, `in` and `not in`: two ISO dates spelling the same
 * instant (`…Z` and `…+00:00`, or a naive date and an aware one at its offset) are equal; with
 * `strict` (`strict_datetime_comparison`) a naive date never equals an aware one.
 */
export function sameInstant(a: unknown, b: unknown, strict = false): boolean {
  const first = asDate(a);
  if (first === undefined) return false;
  const second = asDate(b);
  if (second === undefined || (strict && naiveVersusAware(first, second))) return false;
  return compareDates(first, second) === 0;
}

function naiveVersusAware(a: ParsedDate, b: ParsedDate): boolean {
  return (a.offsetMinutes === null) !== (b.offsetMinutes === null);
}

/**
 * Whether `>`, `>=`, `<`, `<=` compare a naive date with an aware one, which Haystack's
 * `strict_datetime_comparison` makes never match. Values that are not dates answer false (the
 * comparison then fails or compares them as it does without the switch).
 */
export function comparesNaiveWithAware(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" && typeof b !== "string") return false;
  try {
    return naiveVersusAware(parseIsoDate(a), parseIsoDate(b));
  } catch {
    return false;
  }
}
