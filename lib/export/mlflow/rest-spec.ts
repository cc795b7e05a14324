/**
 * The MLflow REST contract this SDK uses, in one place: paths, headers, tag keys and the wire
 * (snake_case) request/response types. Everything outside this module is camelCase; the
 * conversions at the bottom are the only place where the two meet.
 * Source of truth: shared/mlflow-protocol.md §2 and §8, checked against a real `mlflow server`.
 */

import type { AssessmentJson } from "../../tracing/assessment-json";

/** Server paths, relative to the tracking URI (which may itself carry a path prefix). */
export const MLFLOW_PATHS = {
  health: "/health",
  version: "/version",
  getExperimentByName: "/api/2.0/mlflow/experiments/get-by-name",
  getExperiment: "/api/2.0/mlflow/experiments/get",
  createExperiment: "/api/2.0/mlflow/experiments/create",
  startTraceV3: "/api/3.0/mlflow/traces",
  getTraceInfoV3: (traceId: string): string => `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`,
  getTraceArtifact: "/ajax-api/2.0/mlflow/get-trace-artifact",
  /** `artifactPath` is the path of an `mlflow-artifacts:` URI, already split into encoded segments. */
  artifact: (artifactPath: string): string => `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`,
  otlpTraces: "/v1/traces",
  /** CreateAssessment (POST). */
  assessments: (traceId: string): string => `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments`,
  /** GetAssessment (GET), UpdateAssessment (PATCH), DeleteAssessment (DELETE). */
  assessment: (traceId: string, assessmentId: string): string =>
    `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments/${encodeURIComponent(assessmentId)}`,
  searchTracesV3: "/api/3.0/mlflow/traces/search",
  /** V2 search (servers without the V3 endpoint): GET with repeated `experiment_ids` / `order_by`. */
  searchTracesV2: "/api/2.0/mlflow/traces",
} as const;

/** Header telling `/v1/traces` which experiment the spans belong to. */
export const EXPERIMENT_ID_HEADER = "x-mlflow-experiment-id";
/** File name of the span data artifact. */
export const TRACE_DATA_FILE_NAME = "traces.json";
/** Tags the server sets on StartTraceV3; read them from the response, never guess. */
export const TAG_ARTIFACT_LOCATION = "mlflow.artifactLocation";
export const TAG_SPANS_LOCATION = "mlflow.trace.spansLocation";
/** `mlflow.trace.spansLocation` value meaning the server already stores the spans (sent via OTLP). */
export const SPANS_LOCATION_TRACKING_STORE = "TRACKING_STORE";
/** The experiment every MLflow server has. */
export const DEFAULT_EXPERIMENT_ID = "0";

/** MLflow error body: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`. */
export interface WireErrorBody {
  readonly error_code?: string;
  readonly message?: string;
}

export interface WireExperiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location?: string;
  readonly lifecycle_stage?: string;
  readonly creation_time?: number;
  readonly last_update_time?: number;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface GetExperimentResponse {
  readonly experiment: WireExperiment;
}

export interface CreateExperimentRequest {
  readonly name: string;
}

export interface CreateExperimentResponse {
  readonly experiment_id: string;
}

export interface WireTraceLocation {
  readonly type: "MLFLOW_EXPERIMENT";
  readonly mlflow_experiment: { readonly experiment_id: string };
}

/** TraceInfoV3 in proto-JSON: `request_time` RFC3339, `execution_duration` like `"1.500s"`. */
export interface WireTraceInfoV3 {
  readonly trace_id: string;
  readonly client_request_id?: string;
  readonly trace_location: WireTraceLocation;
  readonly request_time: string;
  readonly execution_duration?: string;
  readonly state: string;
  readonly request_preview?: string;
  readonly response_preview?: string;
  readonly trace_metadata?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
  /** Assessments logged while the trace ran travel inside its record, as in Python. */
  readonly assessments?: readonly AssessmentJson[];
}

export interface StartTraceV3Request {
  readonly trace: { readonly trace_info: WireTraceInfoV3 };
}

/** Answer of StartTraceV3 and GetTraceInfoV3. */
export interface TraceInfoV3Response {
  readonly trace: { readonly trace_info: WireTraceInfoV3 };
}

/** Answer of Create/Get/UpdateAssessment. */
export interface AssessmentResponse {
  readonly assessment: AssessmentJson;
}

/**
 * UpdateAssessment body. `update_mask` is a FieldMask in proto3 JSON: one comma-separated string of
 * camelCased paths (`"assessmentName,feedback"`), as Python's `message_to_json` writes it.
 */
export interface UpdateAssessmentRequest {
  readonly assessment: Partial<AssessmentJson>;
  readonly update_mask: string;
}

/** SearchTracesV3 request body. */
export interface SearchTracesV3Request {
  readonly locations: readonly WireTraceLocation[];
  readonly filter?: string;
  readonly max_results: number;
  readonly order_by: readonly string[];
  readonly page_token?: string;
}

/** SearchTracesV3 answer (empty pages may leave both fields out). */
export interface SearchTracesV3Response {
  readonly traces?: readonly WireTraceInfoV3[];
  readonly next_page_token?: string;
}

/** TraceInfo (V2) as the V2 search returns it. */
export interface WireTraceInfoV2 {
  readonly request_id: string;
  readonly experiment_id: string;
  readonly timestamp_ms?: number | string;
  readonly execution_time_ms?: number | string;
  readonly status?: string;
  readonly request_metadata?: readonly { readonly key: string; readonly value: string }[];
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

/** V2 search answer. */
export interface SearchTracesV2Response {
  readonly traces?: readonly WireTraceInfoV2[];
  readonly next_page_token?: string;
}

/** A V2 trace info in the V3 shape (V2 `status` is the V3 `state`; `IN_PROGRESS` and `UNSPECIFIED` as in Python's `TraceInfoV2.to_v3`). */
export function traceInfoV3FromV2(v2: WireTraceInfoV2): WireTraceInfoV3 {
  const pairs = (list: WireTraceInfoV2["tags"]): Record<string, string> => Object.fromEntries((list ?? []).map((kv) => [kv.key, kv.value]));
  const status = v2.status ?? "STATE_UNSPECIFIED";
  return {
    trace_id: v2.request_id,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(v2.experiment_id) } },
    request_time: new Date(Number(v2.timestamp_ms ?? 0)).toISOString(),
    execution_duration: `${Number(v2.execution_time_ms ?? 0) / 1000}s`,
    state: status === "TRACE_STATUS_UNSPECIFIED" ? "STATE_UNSPECIFIED" : status,
    trace_metadata: pairs(v2.request_metadata),
    tags: pairs(v2.tags),
  };
}

/** Body of `traces.json` and of `get-trace-artifact`: span dicts in the Python `Span.to_dict` shape. */
export interface WireTraceData {
  readonly spans: readonly unknown[];
}

/** OTLP/HTTP JSON (`application/json`, hex ids) as accepted by `POST /v1/traces` (MLflow ≥ 3.12). */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly OtlpAnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly OtlpKeyValue[] } }
  /** No value: JSON null, as Python's SDK sends `None`. */
  | { readonly [key: string]: never };
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly events: readonly {
    readonly name: string;
    readonly timeUnixNano: string;
    readonly attributes: readonly OtlpKeyValue[];
  }[];
  /** 0 UNSET, 1 OK, 2 ERROR. */
  readonly status: { readonly code: number; readonly message?: string };
}
export interface OtlpExportRequest {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpKeyValue[] };
    readonly scopeSpans: readonly { readonly scope: { readonly name: string }; readonly spans: readonly OtlpSpan[] }[];
  }[];
}

/**
 * An MLflow experiment as the SDK exposes it.
 *
 * @example
 * const exp: Experiment = await setExperiment("my-app");
 * console.log(exp.experimentId, exp.artifactLocation);
 */
export interface Experiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation?: string;
  /** `active` or `deleted`. */
  readonly lifecycleStage: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Wire → SDK experiment. */
export function experimentFromWire(wire: WireExperiment): Experiment {
  const tags: Record<string, string> = {};
  for (const tag of wire.tags ?? []) tags[tag.key] = tag.value;
  return {
    experimentId: String(wire.experiment_id),
    name: wire.name,
    ...(wire.artifact_location === undefined ? {} : { artifactLocation: wire.artifact_location }),
    lifecycleStage: wire.lifecycle_stage ?? "active",
    tags,
  };
}
