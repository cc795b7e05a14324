/**
 * Typed calls to the MLflow REST endpoints catalogued in `rest-spec.ts`. Turns non-2xx
 * answers into {@link MlflowApiError} (with `Retry-After`), and 401/403 into a message that names
 * the environment variables to fix. No retries here: the batch processor owns them.
 */
import { redactValues } from "../../internal/redaction";
import { authFixHint, type ResolvedAuth } from "./auth";
import { MlflowApiError } from "../errors";
import { endpointName, HttpTransport, type HttpRequest, type HttpResponse } from "./http";
import { parseRetryAfter } from "./retry-after";
import {
  EXPERIMENT_ID_HEADER,
  MLFLOW_PATHS,
  type AssessmentResponse,
  type CreateExperimentResponse,
  type GetExperimentResponse,
  type OtlpExportRequest,
  type SearchTracesV2Response,
  type SearchTracesV3Response,
  type StartTraceV3Request,
  type TraceInfoV3Response,
  type UpdateAssessmentRequest,
  type WireErrorBody,
  type WireTraceData,
} from "./rest-spec";
import { parseTraceDataJson } from "./trace-wire";
import { missingField, REQUIRED, type RequiredField } from "./response-shape";
import { describeValue } from "../../internal/describe-value";
import type { AssessmentJson } from "../../tracing/assessment-json";

/** Where the server is and how to talk to it. */
export interface MlflowConnection {
  readonly baseUrl: string;
  readonly auth: ResolvedAuth;
  readonly insecureTls?: boolean;
  readonly caCertPath?: string;
  readonly keepAlive?: boolean;
  /** Per-request silence limit, ms (see `HttpTransportOptions.requestTimeoutMs`). */
  readonly requestTimeoutMs?: number;
}

const MAX_SERVER_MESSAGE = 300;
/** Search errors quote MLflow's full message (it lists the valid keys), so they keep more of it. */
const MAX_SEARCH_MESSAGE = 2000;

/** What a trace search asks the server for (camelCase; the methods build the wire form). */
export interface TraceSearchQuery {
  readonly experimentIds: readonly string[];
  readonly filter: string | undefined;
  readonly maxResults: number;
  readonly orderBy: readonly string[];
  readonly pageToken: string | undefined;
}

/**
 * The MLflow REST API as typed methods.
 *
 * @example
 * const api = new MlflowApi({ baseUrl: "http://127.0.0.1:5000", auth: resolveMlflowAuth() });
 * const { experiment } = await api.getExperimentByName("my-app");
 */
export class MlflowApi {
  private readonly transport: HttpTransport;
  private readonly auth: ResolvedAuth;

  constructor(connection: MlflowConnection) {
    this.auth = connection.auth;
    const authorization = connection.auth.authorization;
    this.transport = new HttpTransport({
      baseUrl: connection.baseUrl,
      headers: () => (authorization === undefined ? {} : { authorization }),
      ...(connection.insecureTls === undefined ? {} : { insecureTls: connection.insecureTls }),
      ...(connection.caCertPath === undefined ? {} : { caCertPath: connection.caCertPath }),
      ...(connection.keepAlive === undefined ? {} : { keepAlive: connection.keepAlive }),
      ...(connection.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: connection.requestTimeoutMs }),
    });
  }

  getExperimentByName(name: string, signal?: AbortSignal): Promise<GetExperimentResponse> {
    return this.json({ method: "GET", path: MLFLOW_PATHS.getExperimentByName, query: { experiment_name: name }, ...sig(signal) }, REQUIRED.experiment);
  }

  getExperiment(experimentId: string, signal?: AbortSignal): Promise<GetExperimentResponse> {
    return this.json({ method: "GET", path: MLFLOW_PATHS.getExperiment, query: { experiment_id: experimentId }, ...sig(signal) }, REQUIRED.experiment);
  }

  createExperiment(name: string, signal?: AbortSignal): Promise<CreateExperimentResponse> {
    return this.json({ method: "POST", path: MLFLOW_PATHS.createExperiment, body: JSON.stringify({ name }), ...sig(signal) }, REQUIRED.createdExperiment);
  }

  startTraceV3(body: StartTraceV3Request, signal?: AbortSignal): Promise<TraceInfoV3Response> {
    return this.json({ method: "POST", path: MLFLOW_PATHS.startTraceV3, body: JSON.stringify(body), ...sig(signal) }, REQUIRED.traceInfo);
  }

  getTraceInfoV3(traceId: string, signal?: AbortSignal): Promise<TraceInfoV3Response> {
    return this.json({ method: "GET", path: MLFLOW_PATHS.getTraceInfoV3(traceId), ...sig(signal) }, REQUIRED.traceInfo);
  }

  /** One page of SearchTracesV3 (`POST /api/3.0/mlflow/traces/search`). */
  searchTracesV3(query: TraceSearchQuery, signal?: AbortSignal): Promise<SearchTracesV3Response> {
    const body = {
      locations: query.experimentIds.map((id) => ({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: id } })),
      ...(query.filter === undefined ? {} : { filter: query.filter }),
      max_results: query.maxResults,
      order_by: query.orderBy,
      ...(query.pageToken === undefined ? {} : { page_token: query.pageToken }),
    };
    return this.json({ method: "POST", path: MLFLOW_PATHS.searchTracesV3, body: JSON.stringify(body), ...sig(signal) }, REQUIRED.anyObject);
  }

  /** One page of the V2 search (`GET /api/2.0/mlflow/traces`), for servers without the V3 endpoint. */
  searchTracesV2(query: TraceSearchQuery, signal?: AbortSignal): Promise<SearchTracesV2Response> {
    const params: Record<string, string | readonly string[]> = {
      experiment_ids: query.experimentIds,
      max_results: String(query.maxResults),
      order_by: query.orderBy,
    };
    if (query.filter !== undefined) params["filter"] = query.filter;
    if (query.pageToken !== undefined) params["page_token"] = query.pageToken;
    return this.json({ method: "GET", path: MLFLOW_PATHS.searchTracesV2, query: params, ...sig(signal) }, REQUIRED.anyObject);
  }

  /** Span data of a trace (both storage modes), with nanosecond times kept exact. */
  getTraceData(traceId: string, signal?: AbortSignal): Promise<WireTraceData> {
    const req: HttpRequest = { method: "GET", path: MLFLOW_PATHS.getTraceArtifact, query: { request_id: traceId }, ...sig(signal) };
    return this.json(req, REQUIRED.anyObject, parseTraceDataJson);
  }

  /** `artifactPath` as returned by `artifactPathFromUri` (segments already encoded). */
  async uploadArtifact(artifactPath: string, body: string, signal?: AbortSignal): Promise<void> {
    await this.send({ method: "PUT", path: MLFLOW_PATHS.artifact(artifactPath), body, ...sig(signal) });
  }

  /** OTLP/HTTP JSON span ingestion (`POST /v1/traces`). */
  async exportOtlp(experimentId: string, body: OtlpExportRequest, signal?: AbortSignal): Promise<void> {
    await this.send({
      method: "POST",
      path: MLFLOW_PATHS.otlpTraces,
      body: JSON.stringify(body),
      headers: { [EXPERIMENT_ID_HEADER]: experimentId },
      ...sig(signal),
    });
  }

  createAssessment(assessment: AssessmentJson, signal?: AbortSignal): Promise<AssessmentResponse> {
    return this.json(
      { method: "POST", path: MLFLOW_PATHS.assessments(assessment.trace_id), body: JSON.stringify({ assessment }), ...sig(signal) },
      REQUIRED.assessment,
    );
  }

  getAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<AssessmentResponse> {
    return this.json({ method: "GET", path: MLFLOW_PATHS.assessment(traceId, assessmentId), ...sig(signal) }, REQUIRED.assessment);
  }

  updateAssessment(
    traceId: string,
    assessmentId: string,
    assessment: Partial<AssessmentJson>,
    updateMask: string,
    signal?: AbortSignal,
  ): Promise<AssessmentResponse> {
    const body: UpdateAssessmentRequest = { assessment, update_mask: updateMask };
    return this.json(
      { method: "PATCH", path: MLFLOW_PATHS.assessment(traceId, assessmentId), body: JSON.stringify(body), ...sig(signal) },
      REQUIRED.assessment,
    );
  }

  async deleteAssessment(traceId: string, assessmentId: string, signal?: AbortSignal): Promise<void> {
    await this.send({ method: "DELETE", path: MLFLOW_PATHS.assessment(traceId, assessmentId), ...sig(signal) });
  }

  /** Server version text, e.g. `3.17.2`. */
  async version(signal?: AbortSignal): Promise<string> {
    return (await this.send({ method: "GET", path: MLFLOW_PATHS.version, ...sig(signal) })).body.toString("utf8").trim();
  }

  close(): void {
    this.transport.close();
  }

  /** The answer's JSON, once `required` fields are checked: an answer without them is an {@link MlflowApiError} naming the field. */
  private async json<T>(req: HttpRequest, required: readonly RequiredField[], parse: (text: string) => T = (text) => JSON.parse(text) as T): Promise<T> {
    const res = await this.send(req);
    const endpoint = endpointName(req.method, req.path);
    let body: T;
    try {
      body = parse(res.body.toString("utf8"));
    } catch (err) {
      throw invalidResponse(`${endpoint} returned a body that is not JSON (is the tracking URI an MLflow server?)`, endpoint, res.status, err);
    }
    const missing = missingField(body, required);
    if (missing !== undefined) {
      const what = missing === "the body" ? `a body that is not a JSON object (${describeValue(body)})` : `an answer without \`${missing}\``;
      throw invalidResponse(
        `${endpoint} returned ${what}; is the tracking URI an MLflow server, and not a proxy or another service answering for it?`,
        endpoint,
        res.status,
      );
    }
    return body;
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.transport.request(req);
    if (res.status >= 200 && res.status < 300) return res;
    const search = req.path === MLFLOW_PATHS.searchTracesV3 || req.path === MLFLOW_PATHS.searchTracesV2;
    throw this.apiError(endpointName(req.method, req.path), res, search ? MAX_SEARCH_MESSAGE : MAX_SERVER_MESSAGE);
  }

  private apiError(endpoint: string, res: HttpResponse, maxMessage: number): MlflowApiError {
    const text = res.body.toString("utf8");
    let code = `HTTP_${res.status}`;
    let serverMessage = "";
    try {
      const body = JSON.parse(text) as WireErrorBody & { detail?: unknown };
      if (typeof body.error_code === "string") code = body.error_code;
      if (typeof body.message === "string") serverMessage = body.message;
      else if (typeof body.detail === "string") serverMessage = body.detail;
    } catch {
      serverMessage = text.startsWith("<") ? "" : text;
    }
    serverMessage = redactValues(serverMessage.split("\n")[0]?.slice(0, maxMessage) ?? "", this.auth.secrets);
    const hint = res.status === 401 || res.status === 403 ? ` ${authFixHint(this.auth.kind, res.status)}` : "";
    const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
    const stop = /[.!?]$/.test(serverMessage) ? "" : ".";
    return new MlflowApiError(`${endpoint} failed with HTTP ${res.status} ${code}${serverMessage === "" ? "" : `: ${serverMessage}`}${stop}${hint}`, {
      endpoint,
      status: res.status,
      code,
      serverMessage,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

function invalidResponse(message: string, endpoint: string, status: number, cause?: unknown): MlflowApiError {
  return new MlflowApiError(message, { endpoint, status, code: "INVALID_RESPONSE", serverMessage: "", ...(cause === undefined ? {} : { cause }) });
}

function sig(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
