/**
 * The error a bad search filter or order-by clause raises, from the local store and from a server
 * alike: the local evaluator uses the messages of MLflow's `SearchTraceUtils` and SQL store, and a
 * server's `INVALID_PARAMETER_VALUE` answer to a search is rethrown as this class with its message.
 */
import { MlflowHaystackError } from "../export/errors";

/**
 * A search filter, order-by clause, page token or page size that MLflow would refuse.
 *
 * @example
 * try { await searchTraces({ filter: "tag.env = 'a' OR tag.env = 'b'" }); }
 * catch (e) { if (e instanceof InvalidFilterError) console.error(e.message); } // Invalid clause(s) in filter string: 'OR'
 */
export class InvalidFilterError extends MlflowHaystackError {
  static override readonly kind: string = "InvalidFilterError";
  /** MLflow's error code for the same mistake. */
  readonly code = "INVALID_PARAMETER_VALUE";
}

/** Python's `repr()` of a string, as MLflow's `{value!r}` messages print it. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/**
 * Python's `str()` of a set of strings. Python prints sets in hash order, which changes from one
 * server process to the next; we print MLflow's source order (tests compare sets as sets).
 */
export function pySet(items: readonly string[]): string {
  return `{${items.map(pyRepr).join(", ")}}`;
}
