/**
 * `traces sync` and assessments: a trace's assessments go inside its record when it is sent; the
 * ids sent are listed per destination, so assessments logged on the stored trace later are sent on
 * the next sync exactly once — by id, which the server keeps, so a sync interrupted between the
 * send and the list update does not send twice.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Trace } from "../../tracing/trace";
import { connectionFor } from "../../export/destination/config";
import { MlflowApi } from "../../export/mlflow/api";
import { createAssessmentOnce } from "../../export/mlflow/assessments";
import { ASSESSMENTS_CHANGED_DIR } from "../../export/clients/local-store/assessments";
import { exists, writeFileAtomic } from "../../export/clients/local-store/atomic-file";
import type { DestinationDir } from "../../export/clients/local-store/destinations";
import type { StoredFile } from "../../export/clients/local-store/location";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";

/** Records that `destination` has these assessments of a trace. */
export async function recordSentAssessments(dest: DestinationDir, encodedId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0 && !(await exists(dest.marker("assessments", encodedId)))) return;
  await writeFileAtomic(dest.marker("assessments", encodedId), JSON.stringify(ids));
}

/** Whether assessments were logged on this stored trace after it was written. */
export function assessmentsChanged(store: LocalStoreReader, file: StoredFile): Promise<boolean> {
  return exists(join(store.dir, ASSESSMENTS_CHANGED_DIR, file.encodedId));
}

/** Sends the assessments of an already-sent trace the destination does not have yet; returns how many it created. */
export async function sendNewAssessments(dest: DestinationDir, file: StoredFile, trace: Trace): Promise<number> {
  const sent = new Set(await readSentIds(dest, file.encodedId));
  const fresh = trace.info.assessments.filter((a) => !sent.has(a.assessment_id));
  // An mlruns folder (`file:`) gets whole trace files only.
  if (fresh.length === 0 || dest.destination.trackingUri.startsWith("file:")) return 0;
  const api = new MlflowApi({ ...connectionFor(dest.destination.trackingUri), keepAlive: false });
  let created = 0;
  try {
    for (const assessment of fresh) {
      if ((await createAssessmentOnce(api, assessment)) === "created") created++;
      sent.add(assessment.assessment_id);
      await writeFileAtomic(dest.marker("assessments", file.encodedId), JSON.stringify([...sent]));
    }
  } finally {
    api.close();
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
