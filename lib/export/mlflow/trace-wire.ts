/**
 * Converts between the SDK's {@link Trace} and the MLflow REST bodies: TraceInfoV3 for
 * StartTraceV3, the `traces.json` span file, and back again when reading a trace from the server.
 * (OTLP/JSON for `/v1/traces` comes from the one OTLP span encoder, `clients/otlp-spans.ts`.)
 */
import type { SpanJson } from "../../tracing/wire-format";
import { Trace, type TraceJson, type TraceState } from "../../tracing/trace";
import type { StartTraceV3Request, WireTraceData, WireTraceInfoV3 } from "./rest-spec";

/** Milliseconds → protobuf Duration JSON (`"1.5s"`, at most 9 fractional digits). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000;
  return `${seconds.toFixed(9).replace(/\.?0+$/, "")}s`;
}

/** Protobuf Duration JSON (`"1.500s"`) → milliseconds. */
export function parseDuration(text: string | undefined): number {
  if (text === undefined) return 0;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match === null ? 0 : Math.round(Number(match[1]) * 1e6) / 1e3;
}

/** The StartTraceV3 body for `trace` in `experimentId`. */
export function startTraceBody(trace: Trace, experimentId: string): StartTraceV3Request {
  const info = trace.info.toJSON();
  const wire: WireTraceInfoV3 = {
    trace_id: info.trace_id,
    ...(info.client_request_id === undefined ? {} : { client_request_id: info.client_request_id }),
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
    request_time: info.request_time,
    execution_duration: formatDuration(info.execution_duration_ms),
    state: info.state,
    ...(info.request_preview === undefined ? {} : { request_preview: info.request_preview }),
    ...(info.response_preview === undefined ? {} : { response_preview: info.response_preview }),
    trace_metadata: info.trace_metadata,
    tags: info.tags,
    // An override goes by CreateAssessment after the record: only that path marks the feedback it replaces invalid.
    ...(info.assessments === undefined ? {} : { assessments: info.assessments.filter((a) => a.overrides === undefined) }),
  };
  return { trace: { trace_info: wire } };
}

/** The `traces.json` file content, as Python's `json.dumps(trace.data.to_dict())`. */
export function traceDataFile(trace: Trace): string {
  return JSON.stringify({ spans: trace.toJSON().data.spans });
}

const NANOS_NUMBER = /("(?:start_time_unix_nano|end_time_unix_nano|time_unix_nano)"\s*:\s*)(-?\d+)/g;

/**
 * Parses span JSON from the server without losing nanosecond precision: MLflow writes
 * `*_unix_nano` as JSON numbers (beyond 2^53), so they are quoted before `JSON.parse`.
 */
export function parseTraceDataJson(text: string): WireTraceData {
  return JSON.parse(text.replace(NANOS_NUMBER, '$1"$2"')) as WireTraceData;
}

/** A trace read from the server (TraceInfoV3 + span dicts) in the `Trace.to_dict()` shape. */
export function traceJsonFromWire(info: WireTraceInfoV3, data: WireTraceData | undefined): TraceJson {
  return {
    info: {
      trace_id: info.trace_id,
      ...(info.client_request_id === undefined ? {} : { client_request_id: info.client_request_id }),
      trace_location: {
        type: "MLFLOW_EXPERIMENT",
        mlflow_experiment: { experiment_id: info.trace_location?.mlflow_experiment?.experiment_id ?? "0" },
      },
      request_time: info.request_time,
      execution_duration_ms: parseDuration(info.execution_duration),
      state: info.state as TraceState,
      ...(info.request_preview === undefined ? {} : { request_preview: info.request_preview }),
      ...(info.response_preview === undefined ? {} : { response_preview: info.response_preview }),
      trace_metadata: { ...(info.trace_metadata ?? {}) },
      tags: { ...(info.tags ?? {}) },
      assessments: [...(info.assessments ?? [])],
    },
    data: { spans: (data?.spans ?? []) as SpanJson[] },
  };
}

/** Reads a server answer into a {@link Trace}. */
export function traceFromWire(info: WireTraceInfoV3, data: WireTraceData | undefined): Trace {
  return Trace.fromJSON(traceJsonFromWire(info, data));
}
