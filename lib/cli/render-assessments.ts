/**
 * The "Assessments" block of `traces show`: one line per feedback or expectation, the overridden
 * ones dimmed, so a trace's judgements are visible without the MLflow UI.
 */
import { assessmentFromJson } from "../assessments/assessment";
import type { AssessmentJson } from "../tracing/assessment-json";
import type { Palette } from "./cli-io";

const MAX_VALUE_CHARS = 80;

/** Lines to append under the span tree (none when the trace has no assessments). */
export function renderAssessments(assessments: readonly AssessmentJson[], c: Palette): string[] {
  if (assessments.length === 0) return [];
  const lines = ["", c.bold("Assessments")];
  for (const json of assessments) {
    const a = assessmentFromJson(json);
    const value =
      a.error !== undefined && a.value === null
        ? c.red(`error ${a.error.errorCode}${a.error.errorMessage ? `: ${a.error.errorMessage}` : ""}`)
        : clip(JSON.stringify(a.value));
    const source = `${a.source.sourceType}${a.source.sourceId === "default" ? "" : ` ${a.source.sourceId}`}`;
    const parts = [
      `  ${a.kind === "feedback" ? "feedback   " : "expectation"} ${a.name} = ${value}`,
      c.dim(`(${source}${a.spanId ? `, span ${a.spanId}` : ""})`),
    ];
    if (a.rationale !== undefined) parts.push(c.dim(`— ${clip(a.rationale)}`));
    const line = parts.join(" ");
    lines.push(a.valid ? line : c.dim(`${line} [overridden]`));
  }
  return lines;
}

function clip(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 3)}...`;
}
