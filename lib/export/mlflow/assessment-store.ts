/**
 * Where assessments live — a server, a local store file, or an array of a trace held in memory —
 * behind one interface, and the array implementation, which also defines the semantics the other
 * two mirror: an override marks the feedback it replaces invalid, deleting the override makes it
 * valid again (as mlflow server 3.17.2 does).
 */
import type { AssessmentJson } from "../../tracing/assessment-json";
import { AssessmentNotFoundError } from "../errors";

/** The fields `updateAssessment` may change, in MLflow's JSON shape. */
export interface AssessmentPatch {
  assessment_name?: string;
  feedback?: NonNullable<AssessmentJson["feedback"]>;
  expectation?: NonNullable<AssessmentJson["expectation"]>;
  rationale?: string;
  metadata?: Record<string, string>;
}

export interface AssessmentStore {
  create(assessment: AssessmentJson): Promise<AssessmentJson>;
  get(traceId: string, assessmentId: string): Promise<AssessmentJson>;
  update(traceId: string, assessmentId: string, patch: AssessmentPatch): Promise<AssessmentJson>;
  delete(traceId: string, assessmentId: string): Promise<void>;
}

/** The assessments of one trace, as an array changed in place. */
export class ArrayAssessments implements AssessmentStore {
  constructor(private readonly list: AssessmentJson[]) {}

  async create(assessment: AssessmentJson): Promise<AssessmentJson> {
    return createIn(this.list, assessment);
  }

  async get(traceId: string, assessmentId: string): Promise<AssessmentJson> {
    return { ...find(this.list, traceId, assessmentId) };
  }

  async update(traceId: string, assessmentId: string, patch: AssessmentPatch): Promise<AssessmentJson> {
    return updateIn(this.list, traceId, assessmentId, patch);
  }

  async delete(traceId: string, assessmentId: string): Promise<void> {
    deleteIn(this.list, traceId, assessmentId);
  }
}

export function createIn(list: AssessmentJson[], assessment: AssessmentJson): AssessmentJson {
  if (assessment.overrides !== undefined) find(list, assessment.trace_id, assessment.overrides).valid = false;
  const stored = { ...assessment, valid: true };
  list.push(stored);
  return { ...stored };
}

export function updateIn(list: AssessmentJson[], traceId: string, assessmentId: string, patch: AssessmentPatch): AssessmentJson {
  const current = find(list, traceId, assessmentId);
  if (patch.assessment_name !== undefined) current.assessment_name = patch.assessment_name;
  if (patch.feedback !== undefined) current.feedback = patch.feedback;
  if (patch.expectation !== undefined) current.expectation = patch.expectation;
  if (patch.rationale !== undefined) current.rationale = patch.rationale;
  if (patch.metadata !== undefined) current.metadata = { ...current.metadata, ...patch.metadata };
  current.last_update_time = new Date().toISOString();
  return { ...current };
}

export function deleteIn(list: AssessmentJson[], traceId: string, assessmentId: string): void {
  const current = find(list, traceId, assessmentId);
  list.splice(list.indexOf(current), 1);
  if (current.overrides !== undefined) {
    const replaced = list.find((a) => a.assessment_id === current.overrides);
    if (replaced !== undefined) replaced.valid = true;
  }
}

function find(list: AssessmentJson[], traceId: string, assessmentId: string): AssessmentJson {
  const found = list.find((a) => a.assessment_id === assessmentId);
  if (found === undefined) throw new AssessmentNotFoundError(`Assessment ${assessmentId} not found on trace ${traceId}.`);
  return found;
}
