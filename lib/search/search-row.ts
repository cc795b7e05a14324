/**
 * What a trace looks like to search: the columns MLflow's SQL store filters and sorts on, read
 * once from a trace file (`Trace.to_json()` shape, with `info.assessments` as the server returns
 * them). Assessment values are kept as the SQL store keeps them: Python's `json.dumps` of the value.
 */
import type { TraceJson } from "../tracing/trace";
import { pythonJsonDumps } from "./python-json";

/** A span's searchable columns. */
export interface SpanRow {
  readonly name: string;
  readonly type: string | null;
  /** `OK`, `ERROR` or `UNSET`. */
  readonly status: string;
}

/** A valid feedback or expectation. */
export interface AssessmentRow {
  readonly type: "feedback" | "expectation";
  readonly name: string;
  /** `json.dumps(value)`, as in the `assessments.value` column. */
  readonly json: string;
  /** The `aggregate_value` of a finite non-boolean number, else undefined. */
  readonly numeric: number | undefined;
}

/** One trace as search sees it. */
export interface SearchRow {
  readonly traceId: string;
  readonly experimentId: string;
  readonly timestampMs: number;
  readonly executionTimeMs: number;
  readonly status: string;
  readonly clientRequestId: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly spans: readonly SpanRow[];
  readonly assessments: readonly AssessmentRow[];
}

type Json = TraceJson["info"] & { readonly assessments?: unknown[] };

function spanType(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === "string" ? parsed : raw;
  } catch {
    return raw;
  }
}

/** The value of an assessment as the server has it after a REST round trip (see `python-json.ts`). */
function assessmentRow(raw: unknown): AssessmentRow | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  if (a["valid"] === false || typeof a["assessment_name"] !== "string") return undefined;
  const name = a["assessment_name"];
  const feedback = a["feedback"] as { value?: unknown } | undefined;
  const expectation = a["expectation"] as { value?: unknown; serialized_value?: { value?: unknown } } | undefined;
  if (feedback !== undefined && feedback !== null) return withValue("feedback", name, feedback.value ?? null, "float");
  if (expectation === undefined || expectation === null) return undefined;
  const serialized = expectation.serialized_value?.value;
  if (typeof serialized === "string") {
    try {
      return withValue("expectation", name, JSON.parse(serialized) as unknown, "as-written");
    } catch {
      return withValue("expectation", name, serialized, "as-written");
    }
  }
  return withValue("expectation", name, expectation.value ?? null, "float");
}

function withValue(type: "feedback" | "expectation", name: string, value: unknown, numbers: "float" | "as-written"): AssessmentRow {
  const numeric = typeof value === "number" && Number.isFinite(value) ? value : undefined;
  return { type, name, json: pythonJsonDumps(value, numbers), numeric };
}

/** Reads the searchable columns of a trace file's JSON. */
export function searchRowOf(json: TraceJson): SearchRow {
  const info = json.info as Json;
  const timestampMs = typeof info.request_time === "number" ? info.request_time : Date.parse(info.request_time);
  const spans: SpanRow[] = (json.data?.spans ?? []).map((s) => ({
    name: s.name,
    type: spanType(s.attributes?.["mlflow.spanType"]),
    status: String(s.status?.code ?? "UNSET").replace(/^STATUS_CODE_/, ""),
  }));
  const assessments: AssessmentRow[] = [];
  for (const raw of info.assessments ?? []) {
    const row = assessmentRow(raw);
    if (row !== undefined) assessments.push(row);
  }
  return {
    traceId: info.trace_id,
    experimentId: info.trace_location?.mlflow_experiment?.experiment_id ?? "0",
    timestampMs,
    executionTimeMs: Number(info.execution_duration_ms ?? 0),
    status: info.state,
    clientRequestId: info.client_request_id ?? null,
    tags: info.tags ?? {},
    metadata: info.trace_metadata ?? {},
    spans,
    assessments,
  };
}
