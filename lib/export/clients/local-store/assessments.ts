/**
 * Assessments of traces in the local store: kept in the trace's own file (`info.assessments`,
 * MLflow's JSON shape), rewritten atomically. Each change also leaves a marker in
 * `<store>/assessments-changed/` so `traces sync` knows which already-synced traces have new
 * assessments to send, without reading every file.
 */
import { join } from "node:path";
import type { AssessmentJson } from "../../../tracing/assessment-json";
import type { Trace } from "../../../tracing/trace";
import { AssessmentNotFoundError } from "../../errors";
import { ArrayAssessments, type AssessmentPatch, type AssessmentStore } from "../../mlflow/assessment-store";
import { writeFileAtomic } from "./atomic-file";
import { encodeTraceId } from "./location";
import type { LocalStoreReader } from "./reader";

/** Folder of the per-trace "assessments changed" markers. */
export const ASSESSMENTS_CHANGED_DIR = "assessments-changed";

/** Changes to one file run one after another within this process. */
const fileQueues = new Map<string, Promise<unknown>>();

export class LocalFileAssessments implements AssessmentStore {
  constructor(private readonly store: LocalStoreReader) {}

  create(assessment: AssessmentJson): Promise<AssessmentJson> {
    return this.change(assessment.trace_id, (list) => list.create(assessment));
  }

  async get(traceId: string, assessmentId: string): Promise<AssessmentJson> {
    const { trace } = await this.read(traceId);
    return new ArrayAssessments(trace.info.assessments).get(traceId, assessmentId);
  }

  update(traceId: string, assessmentId: string, patch: AssessmentPatch): Promise<AssessmentJson> {
    return this.change(traceId, (list) => list.update(traceId, assessmentId, patch));
  }

  delete(traceId: string, assessmentId: string): Promise<void> {
    return this.change(traceId, (list) => list.delete(traceId, assessmentId));
  }

  private async read(traceId: string): Promise<{ trace: Trace; name: string }> {
    const file = await this.store.findFile(traceId);
    const trace = file === undefined ? undefined : await this.store.readFile(file.name);
    if (file === undefined || trace === undefined) {
      throw new AssessmentNotFoundError(`Trace ${traceId} is not in the local store ${this.store.dir} (list them with \`mlflow-haystack traces list\`).`);
    }
    return { trace, name: file.name };
  }

  private change<T>(traceId: string, fn: (list: ArrayAssessments) => Promise<T>): Promise<T> {
    const key = `${this.store.dir}\n${traceId}`;
    const run = (fileQueues.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const { trace, name } = await this.read(traceId);
        const result = await fn(new ArrayAssessments(trace.info.assessments));
        await writeFileAtomic(join(this.store.tracesDir, name), JSON.stringify(trace));
        await writeFileAtomic(join(this.store.dir, ASSESSMENTS_CHANGED_DIR, encodeTraceId(traceId)), new Date().toISOString());
        return result;
      });
    fileQueues.set(key, run);
    void run
      .finally(() => {
        if (fileQueues.get(key) === run) fileQueues.delete(key);
      })
      .catch(() => undefined);
    return run;
  }
}
