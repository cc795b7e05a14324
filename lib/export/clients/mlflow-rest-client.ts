/**
 * Delivers finished traces to an MLflow tracking server the way MLflow's Python SDK does:
 * StartTraceV3 per trace, then the spans via OTLP `/v1/traces` when the server takes them (best
 * effort), else the `traces.json` artifact unless the server says it already stores the spans.
 * In spans-only mode a batch is one OTLP request and the server builds each trace record from the
 * spans, as for Python's OTLP export. No queue and no retries: failures are classified and
 * returned to the batch processor.
 */
import { describeValue } from "../../internal/describe-value";
import { connectionFor, getTrackingUri, resolveExperimentAt } from "../destination/config";
import { diag, reportOnce } from "../../internal/diagnostics";
import type { Trace } from "../../tracing/trace";
import { ConfigError, ExportError, MlflowApiError, toExportFailure } from "../errors";
import type { ExperimentSpec } from "../mlflow/experiments";
import { MlflowApi } from "../mlflow/api";
import { sendOverrides } from "../mlflow/assessments";
import { SPANS_LOCATION_TRACKING_STORE, TAG_ARTIFACT_LOCATION, TAG_SPANS_LOCATION, TRACE_DATA_FILE_NAME } from "../mlflow/rest-spec";
import { startTraceBody, traceDataFile, traceFromWire } from "../mlflow/trace-wire";
import { otlpRequest } from "./otlp-spans";
import { encodeEach } from "./trace-isolation";
import { estimateTraceBytes } from "./trace-size";
import { meansOtlpUnsupported, otlpRequestGroups, spansOnlyFromEnv, warnIfSpansOnlyDropsFields } from "./otlp-ingestion";

export { spansOnlyFromEnv } from "./otlp-ingestion";
import type { ExportFailure, ExportOptions, ExportResult, TraceClient } from "./trace-client";
import { forEachLimited } from "../../internal/for-each-limited";

/** Options of {@link MlflowRestClient}. */
export interface MlflowRestClientOptions {
  /** `http(s)://...` or `databricks[://profile]`; default: the configured tracking URI, read per batch. */
  readonly trackingUri?: string;
  /** Default: the configured experiment (`setExperiment`, `MLFLOW_EXPERIMENT_NAME`/`_ID`, else "0"). */
  readonly experiment?: ExperimentSpec;
  /** Traces of one batch sent at the same time (default 4). */
  readonly concurrency?: number;
  /** Also send spans over OTLP `/v1/traces` so the server stores them in its database (default true). */
  readonly otlp?: boolean;
  /**
   * Send only the spans, one OTLP request per batch, and let the server build each trace record
   * from them (default: `MLFLOW_HAYSTACK_SPANS_ONLY=true`, else false). About 4x the traces/s a
   * server takes with StartTraceV3, but the record is the one Python's OTLP export writes: tags,
   * previews, user/session, token usage and cost are kept; the client-side metadata
   * (`mlflow.user`, `mlflow.source.*`, `mlflow.traceInputs`/`Outputs`, size stats, your own
   * metadata) is not. A server without OTLP ingestion gets the full record instead.
   */
  readonly spansOnly?: boolean;
}

const OTLP_SCOPE = "mlflow-haystack";

/**
 * The {@link TraceClient} for MLflow tracking servers.
 *
 * @example
 * const client = new MlflowRestClient({ trackingUri: "http://127.0.0.1:5000", experiment: { name: "my-app" } });
 * const { failures } = await client.export([trace], { signal: AbortSignal.timeout(30_000) });
 * await client.shutdown();
 */
export class MlflowRestClient implements TraceClient {
  private readonly options: MlflowRestClientOptions;
  private readonly concurrency: number;
  private otlpEnabled: boolean;
  private readonly spansOnly: boolean;
  private api: { uri: string; api: MlflowApi } | undefined;
  private closed = false;

  constructor(options: MlflowRestClientOptions = {}) {
    if (options.trackingUri !== undefined) connectionFor(options.trackingUri);
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError(`Expected \`concurrency\` to be a positive integer, got ${describeValue(options.concurrency)}.`);
    }
    this.options = options;
    this.concurrency = concurrency;
    this.otlpEnabled = options.otlp ?? true;
    if (options.spansOnly === true && !this.otlpEnabled) {
      throw new ConfigError("`spansOnly: true` sends the spans over OTLP, so it cannot be combined with `otlp: false`; drop one of them.");
    }
    this.spansOnly = options.spansOnly ?? (this.otlpEnabled && spansOnlyFromEnv());
  }

  async export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
    let api: MlflowApi;
    let uri: string;
    try {
      ({ api, uri } = this.currentApi());
    } catch (err) {
      return { failures: traces.map((t) => toExportFailure(t.info.traceId, err)) };
    }
    // A trace that cannot be measured cannot be encoded either: it fails alone, here.
    const { encoded, failures } = encodeEach(traces, (trace) => {
      estimateTraceBytes(trace);
      return trace.info.experimentId;
    });
    let targets: { trace: Trace; experimentId: string }[] = [];
    let defaultExperiment: Promise<string> | undefined;
    for (const { trace, value } of encoded) {
      let experimentId = value;
      if (experimentId === undefined) {
        defaultExperiment ??= resolveExperimentAt(uri, this.options.experiment, options.signal).then((e) => e.experimentId);
        try {
          experimentId = await defaultExperiment;
        } catch (err) {
          failures.push(toExportFailure(trace.info.traceId, wrapAbort(err, "resolving the experiment")));
          continue;
        }
      }
      targets.push({ trace, experimentId });
    }
    if (this.spansOnly && this.otlpEnabled) {
      // Spans cannot carry assessments: a trace that has some gets its full record.
      const assessed = targets.filter((t) => t.trace.info.assessments.length > 0);
      targets = [
        ...assessed,
        ...(await this.exportSpansOnly(
          api,
          targets.filter((t) => t.trace.info.assessments.length === 0),
          failures,
          options.signal,
        )),
      ];
      if (targets.length === 0) return { failures };
    }
    // The trace record first, then the spans: spans arriving before their record make the server
    // take a slower insert-then-merge path.
    const started: { trace: Trace; experimentId: string; spansStored: boolean; artifactLocation: string | undefined }[] = [];
    await forEachLimited(targets, this.concurrency, async ({ trace, experimentId }) => {
      try {
        const tags = (await api.startTraceV3(startTraceBody(trace, experimentId), options.signal)).trace?.trace_info?.tags ?? {};
        await sendOverrides(api, trace.info.assessments);
        trace.info.experimentId = experimentId;
        started.push({
          trace,
          experimentId,
          spansStored: tags[TAG_SPANS_LOCATION] === SPANS_LOCATION_TRACKING_STORE,
          artifactLocation: tags[TAG_ARTIFACT_LOCATION],
        });
      } catch (err) {
        failures.push(toExportFailure(trace.info.traceId, wrapAbort(err, "creating the trace record")));
      }
    });
    const viaOtlp = this.otlpEnabled ? await this.sendOtlp(api, started, options.signal) : new Set<Trace>();
    await forEachLimited(
      started.filter((t) => !t.spansStored && !viaOtlp.has(t.trace)),
      this.concurrency,
      async ({ trace, artifactLocation }) => {
        try {
          await this.uploadSpans(api, trace, artifactLocation, options.signal);
        } catch (err) {
          failures.push(toExportFailure(trace.info.traceId, wrapAbort(err, "uploading the spans")));
        }
      },
    );
    return { failures };
  }

  /** Reads a trace back from the server (info + spans), or `undefined` when it does not exist. */
  async getTrace(traceId: string, options: { signal?: AbortSignal } = {}): Promise<Trace | undefined> {
    const { api } = this.currentApi();
    let info;
    try {
      info = (await api.getTraceInfoV3(traceId, options.signal)).trace.trace_info;
    } catch (err) {
      // Only MLflow's own answer means "no such trace": a bare 404 is a wrong base path, a proxy, or not MLflow.
      if (err instanceof MlflowApiError && err.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw err;
    }
    let data;
    try {
      data = await api.getTraceData(traceId, options.signal);
    } catch (err) {
      // A trace record without span data (upload failed or still pending) reads as a trace with no spans.
      if (!(err instanceof MlflowApiError && err.status === 404)) throw err;
    }
    return traceFromWire(info, data);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.api?.api.close();
    this.api = undefined;
  }

  private currentApi(): { api: MlflowApi; uri: string } {
    if (this.closed) throw new ExportError("The MLflow client was shut down.", { retryable: false });
    const uri = this.options.trackingUri ?? getTrackingUri();
    if (uri === undefined) {
      throw new ConfigError('No tracking URI: call setTrackingUri("http://...") or set MLFLOW_TRACKING_URI.');
    }
    if (this.api?.uri !== uri) {
      this.api?.api.close();
      this.api = { uri, api: new MlflowApi(connectionFor(uri)) };
    }
    return this.api;
  }

  private async uploadSpans(api: MlflowApi, trace: Trace, location: string | undefined, signal: AbortSignal): Promise<void> {
    if (location === undefined) {
      throw new ExportError(`The server did not return ${TAG_ARTIFACT_LOCATION} for trace ${trace.info.traceId}; spans were not uploaded.`, {
        endpoint: "POST /api/3.0/mlflow/traces",
        retryable: false,
      });
    }
    await api.uploadArtifact(`${artifactPathFromUri(location)}/${TRACE_DATA_FILE_NAME}`, traceDataFile(trace), signal);
  }

  /**
   * Spans-only mode: one OTLP request per experiment (split above ~4 MiB), root spans carrying
   * the tags, user and session. Returns the targets that get full records instead: all of them when the server has
   * no OTLP ingestion, a group whose request the server refused for good (a 413 from a proxy, a
   * 422 for a span it could not convert). Retryable failures are recorded in `failures`.
   */
  private async exportSpansOnly(
    api: MlflowApi,
    targets: readonly { trace: Trace; experimentId: string }[],
    failures: ExportFailure[],
    signal: AbortSignal,
  ): Promise<{ trace: Trace; experimentId: string }[]> {
    const fullRecords: { trace: Trace; experimentId: string }[] = [];
    for (const { experimentId, targets: group } of otlpRequestGroups(targets)) {
      const traces = group.map((t) => t.trace);
      const outcome = this.otlpEnabled ? await this.sendOtlpGroup(api, experimentId, traces, true, signal) : "unsupported";
      if (outcome === "stored") {
        warnIfSpansOnlyDropsFields(traces);
        for (const trace of traces) trace.info.experimentId = experimentId;
        continue;
      }
      if (outcome !== "unsupported") {
        const error = wrapAbort(outcome.error, "sending the spans");
        if (error instanceof ExportError && error.retryable) {
          for (const trace of traces) failures.push(toExportFailure(trace.info.traceId, error));
          continue;
        }
        reportOnce(
          "export.spans-only-refused",
          "warn",
          `the server refused a spans-only request for ${traces.length} trace(s); sending them as full trace records (counted as export.spans-only-refused)`,
          error,
        );
      }
      fullRecords.push(...group);
    }
    return fullRecords;
  }

  /**
   * Best effort: sends the spans over OTLP and returns the traces whose spans the server took;
   * for the others the `traces.json` artifact carries the spans this time.
   */
  private async sendOtlp(api: MlflowApi, targets: readonly { trace: Trace; experimentId: string }[], signal: AbortSignal): Promise<Set<Trace>> {
    const stored = new Set<Trace>();
    for (const { experimentId, targets: group } of otlpRequestGroups(targets)) {
      if (!this.otlpEnabled || signal.aborted) return stored;
      const traces = group.map((t) => t.trace);
      const outcome = await this.sendOtlpGroup(api, experimentId, traces, false, signal);
      if (outcome === "stored") for (const trace of traces) stored.add(trace);
      else if (outcome !== "unsupported") diag("debug", "OTLP span export failed; falling back to the traces.json artifact", outcome.error);
    }
    return stored;
  }

  /** One OTLP request; on an answer meaning "no OTLP ingestion here", turns OTLP off for this client. */
  private async sendOtlpGroup(
    api: MlflowApi,
    experimentId: string,
    traces: readonly Trace[],
    withTraceRecord: boolean,
    signal: AbortSignal,
  ): Promise<"stored" | "unsupported" | { error: unknown }> {
    try {
      await api.exportOtlp(experimentId, otlpRequest(traces, OTLP_SCOPE, withTraceRecord), signal);
      return "stored";
    } catch (error) {
      if (!meansOtlpUnsupported(error)) return { error };
      this.otlpEnabled = false;
      const code = (error as MlflowApiError).code;
      if (this.spansOnly)
        reportOnce(
          "export.spans-only-unsupported",
          "warn",
          `the server does not ingest OTLP spans (${code}); sending full trace records instead of spans only`,
        );
      else diag("info", `server does not accept OTLP/JSON spans (${code}); uploading traces.json artifacts only`);
      return "unsupported";
    }
  }
}

/**
 * `mlflow-artifacts:/1/traces/tr-x/artifacts` (or `mlflow-artifacts://host/1/...`) → `1/traces/tr-x/artifacts`,
 * each segment URL-encoded. Other schemes are not reachable through the server's artifact proxy.
 */
export function artifactPathFromUri(uri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri);
  if (match === null) {
    throw new ExportError(
      `The experiment's artifact location "${uri.split(":")[0]}:..." is not served by the tracking server. ` +
        "Start `mlflow server` with artifact serving (the default, --serve-artifacts) and use an experiment created by it.",
      { retryable: false },
    );
  }
  return (match[1] ?? "")
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");
}

function wrapAbort(err: unknown, what: string): unknown {
  if (err instanceof ExportError || err instanceof ConfigError) return err;
  if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) {
    return new ExportError(`Stopped while ${what}: ${err.message}`, { cause: err, retryable: true });
  }
  return err;
}
