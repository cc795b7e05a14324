/**
 * `traces sync` and assessments: a trace's assessments go inside its record when it is sent; the
 * ids sent are listed per destination, so assessments logged on the stored trace later are sent on
 * the next sync exactly once — by id, which the server keeps, so a sync interrupted between the
 * send and the list update does not send twice.
 */
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import type { LocalStore } from "../export/clients/local-store/store";
import { isServerUri } from "../export/server-uri";
import { exists, writeFileAtomic } from "../export/clients/local-store/atomic-file";
import type { DestinationDir } from "../export/clients/local-store/destinations";
import type { StoredFile } from "../export/clients/local-store/retention";
import type { Trace } from "../tracing/trace";
import { ASSESSMENTS_CHANGED_DIR } from "./local-file-store";
import { serverAssessments } from "./server-connection";

/** Records that `destination` has these assessments of a trace. */
export async function recordSentAssessments(dest: DestinationDir, encodedId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0 && !(await exists(dest.marker("assessments", encodedId)))) return;
  await writeFileAtomic(dest.marker("assessments", encodedId), JSON.stringify(ids));
}

/** Whether assessments were logged on this stored trace after it was written. */
export function assessmentsChanged(store: LocalStore, file: StoredFile): Promise<boolean> {
  return exists(join(store.dir, ASSESSMENTS_CHANGED_DIR, file.encodedId));
}

/** Sends the assessments of an already-sent trace the destination does not have yet; returns how many. */
export async function sendNewAssessments(dest: DestinationDir, file: StoredFile, trace: Trace): Promise<number> {
  const sent = new Set(await readSentIds(dest, file.encodedId));
  const fresh = trace.info.assessments.filter((a) => !sent.has(a.assessment_id));
  // An mlruns folder gets whole trace files only.
  if (fresh.length === 0 || !isServerUri(dest.destination.trackingUri)) return 0;
  const server = serverAssessments(dest.destination.trackingUri);
  let created = 0;
  for (const assessment of fresh) {
    if ((await server.createOnce(assessment)) === "created") created++;
    sent.add(assessment.assessment_id);
    await writeFileAtomic(dest.marker("assessments", file.encodedId), JSON.stringify([...sent]));
  }
  return created;
}

async function readSentIds(dest: DestinationDir, encodedId: string): Promise<string[]> {
  try {
    const ids = JSON.parse(await readFile(dest.marker("assessments", encodedId), "utf8")) as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}
