/**
 * Trace ids as users type them on the command line — whole, without `tr-`, or shortened to a
 * unique prefix as `traces list` and the README abbreviate them — resolved in the local store.
 */
import { encodeTraceId, type StoredFile } from "../export/clients/local-store/location";
import type { LocalStoreReader } from "../export/clients/local-store/reader";
import { CliError, ExitCode } from "./cli-io";

/** Hex digits a shortened trace id needs. */
export const MIN_PREFIX = 6;

/**
 * A trace id as users paste it: `tr-` added to a bare hex id, a trailing `…` / `...` (an abbreviation) dropped.
 *
 * @example
 * normaliseTraceId("0af7651916cd…"); // "tr-0af7651916cd"
 */
export function normaliseTraceId(traceId: string): string {
  const trimmed = traceId.trim().replace(/(…|\.\.\.)$/, "");
  return /^[0-9a-f]+$/i.test(trimmed) ? `tr-${trimmed.toLowerCase()}` : trimmed;
}

/**
 * The stored trace `traceId` names: the trace with that id, else the one trace whose id starts with
 * it (at least {@link MIN_PREFIX} hex digits); a usage error naming the candidates when several do.
 *
 * @example
 * const file = await findTraceFile(reader, normaliseTraceId("0af765"));
 */
export async function findTraceFile(store: LocalStoreReader, traceId: string): Promise<StoredFile | undefined> {
  const exact = await store.findFile(traceId);
  if (exact !== undefined || traceId.replace(/^tr-/, "").length < MIN_PREFIX) return exact;
  const encoded = encodeTraceId(traceId);
  const matches = (await store.files()).filter((f) => f.encodedId.startsWith(encoded));
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((f) => f.encodedId);
    throw new CliError(
      ExitCode.USAGE_ERROR,
      `${matches.length} traces start with ${traceId} (${shown.join(", ")}${matches.length > 5 ? ", …" : ""}); give more of the id.`,
    );
  }
  return matches[0];
}

/**
 * What a not-found message adds for an id too short to be a prefix.
 *
 * @example
 * `Trace ${id} is not in ${dir}${shortIdHint(id)}`;
 */
export function shortIdHint(traceId: string): string {
  return /^tr-[0-9a-f]{1,5}$/.test(traceId) ? ` (a shortened id needs at least ${MIN_PREFIX} hex digits)` : "";
}
