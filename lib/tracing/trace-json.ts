/**
 * A trace's JSON in the shape of Python's `Trace.to_dict()`, and the check `traceFromJSON` runs on
 * what it is given.
 */
import { describeValue } from "../internal/describe-value";
import type { AssessmentJson } from "./assessment-json";
import type { SpanJson } from "./wire-format";

export type TraceState = "OK" | "ERROR" | "IN_PROGRESS" | "STATE_UNSPECIFIED";

/** Python `TraceInfo.to_dict()` form. */
export interface TraceInfoJson {
  trace_id: string;
  client_request_id?: string;
  trace_location: { type: "MLFLOW_EXPERIMENT"; mlflow_experiment: { experiment_id: string } };
  request_time: string;
  execution_duration_ms: number;
  state: TraceState;
  request_preview?: string;
  response_preview?: string;
  trace_metadata: Record<string, string>;
  tags: Record<string, string>;
  /** Python's `to_dict()` leaves an empty list out; so do we. */
  assessments?: AssessmentJson[];
}

/** Python `Trace.to_dict()` form (`Trace.to_json()` is its JSON text). */
export interface TraceJson {
  info: TraceInfoJson;
  data: { spans: SpanJson[] };
}

const TRACE_JSON_SHAPE = "the JSON of a trace ({ info: { trace_id, … }, data: { spans: […] } }, as Python's Trace.to_json() or `traces show --json` writes it)";

/** `json` checked to be a trace's JSON (parsed when it is text), else a TypeError naming what is wrong. */
export function parseTraceJson(json: TraceJson | string): TraceJson {
  let parsed: unknown = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new TypeError(`traceFromJSON: expected ${TRACE_JSON_SHAPE}, got text that is not JSON (${(error as Error).message})`);
    }
  }
  const problem =
    typeof parsed !== "object" || parsed === null || Array.isArray(parsed)
      ? `got ${describeValue(parsed)}`
      : typeof (parsed as { info?: unknown }).info !== "object" || (parsed as { info?: unknown }).info === null
        ? "`info` is missing"
        : typeof (parsed as TraceJson).info.trace_id !== "string"
          ? "`info.trace_id` is missing"
          : (parsed as TraceJson).data !== undefined && !Array.isArray((parsed as TraceJson).data?.spans)
            ? "`data.spans` is not a list"
            : undefined;
  if (problem !== undefined) throw new TypeError(`traceFromJSON: expected ${TRACE_JSON_SHAPE}; ${problem}`);
  return parsed as TraceJson;
}
