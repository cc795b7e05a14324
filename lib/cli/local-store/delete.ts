/**
 * `traces delete`: removes a trace from the local store with its bookkeeping — the markers that
 * say it waits for, is being sent to, or was sent to a destination, and its "assessments changed"
 * marker — so `traces sync` neither sends nor remembers it.
 */
import { join } from "node:path";
import { ASSESSMENTS_CHANGED_DIR } from "../../export/clients/local-store/assessments";
import { removeFile } from "../../export/clients/local-store/atomic-file";
import { knownDestinations } from "../../export/clients/local-store/destinations";
import type { StoredFile } from "../../export/clients/local-store/location";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";

/**
 * Removes a trace and its bookkeeping. Resolves to false when it was not there.
 *
 * @example
 * if (!(await deleteTrace(new LocalStoreReader(dir), "tr-..."))) console.error("not found");
 */
export async function deleteTrace(reader: LocalStoreReader, traceId: string): Promise<boolean> {
  const file = await reader.findFile(traceId);
  if (file === undefined) return false;
  await deleteTraceFile(reader, file);
  return true;
}

/**
 * Removes a stored trace file and its bookkeeping.
 *
 * @example
 * await deleteTraceFile(reader, (await reader.findFile("tr-..."))!);
 */
export async function deleteTraceFile(reader: LocalStoreReader, file: StoredFile): Promise<void> {
  await removeFile(join(reader.tracesDir, file.name));
  for (const dest of await knownDestinations(reader.dir)) {
    for (const kind of ["pending", "sent", "inflight", "assessments"] as const) await removeFile(dest.marker(kind, file.encodedId));
  }
  await removeFile(join(reader.dir, ASSESSMENTS_CHANGED_DIR, file.encodedId));
}
