/**
 * A {@link TraceClient} that sends finished traces to any OTLP/HTTP collector — or to an MLflow
 * server's `/v1/traces` — as `http/protobuf` or `http/json`, serialised by OpenTelemetry's own
 * `@opentelemetry/otlp-transformer`. It only turns a batch into one request: queueing, retries
 * and timeouts belong to the batch processor.
 */
import { inspect, promisify } from "node:util";
import { gzip } from "node:zlib";
import { reportOnce } from "../../internal/diagnostics";
import { REDACTED, redactUrl, redactValues } from "../../internal/redaction";
import { ExportError, toExportFailure } from "../errors";
import { HttpTransport, endpointName, type HttpResponse } from "../mlflow/http";
import { parseRetryAfter } from "../mlflow/retry-after";
import { EXPERIMENT_ID_HEADER } from "../mlflow/rest-spec";
import type { ExportOptions, ExportResult, TraceClient } from "./trace-client";
import type { Trace } from "../../tracing/trace";
import { resolveOtlpOptions, type OtlpClientOptions, type ResolvedOtlpOptions } from "./otlp-config";
import { holdsIntegerOutsideInt64, int64SafeJson } from "./otlp-json-int64";
import { otlpResource, toOtlpSpans, type OtlpReadableSpan } from "./otlp-spans";
import { encodeEach } from "./trace-isolation";
import { withOtelTracingSuppressed } from "../../otel/suppress";

const gzipAsync = promisify(gzip);

type Serializers = Pick<typeof import("@opentelemetry/otlp-transformer"), "JsonTraceSerializer" | "ProtobufTraceSerializer">;
let serializers: Serializers | undefined;
/** Loaded on first use: the package and its dependencies take ~0.1 s to load, which apps without OTLP should not pay. */
function loadSerializers(): Serializers {
  return (serializers ??= require("@opentelemetry/otlp-transformer") as Serializers);
}
/** The OTLP spec's retryable answers (https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes). */
const RETRYABLE = new Set([429, 502, 503, 504]);
const SCOPE = { name: "mlflow-haystack" } as const;

function maskHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) masked[name] = name === EXPERIMENT_ID_HEADER ? value : REDACTED;
  return Object.freeze(masked);
}

/**
 * Sends traces over OTLP/HTTP.
 *
 * @example
 * // Any collector (reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT etc. when options are left out):
 * setTraceClient(new OtlpClient({ endpoint: "http://127.0.0.1:4318/v1/traces" }));
 * // An MLflow server (SQL backend) directly:
 * setTraceClient(new OtlpClient({ endpoint: "http://127.0.0.1:5000/v1/traces", experimentId: "1" }));
 */
export class OtlpClient implements TraceClient {
  /** The resolved, frozen options; header values read `**********` (they usually carry the collector's API key). */
  readonly config: ResolvedOtlpOptions;
  /** Header values, and each word of them (`Bearer <token>`), that a collector's error answer must not show. */
  readonly #secrets: readonly string[];
  private readonly transport: HttpTransport;
  private readonly resource: OtlpReadableSpan["resource"];
  private readonly endpoint: string;
  private readonly serializers: Serializers;
  private closed = false;

  /** Throws {@link ConfigError} for a bad endpoint, protocol, compression or header list. */
  constructor(options: OtlpClientOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    const resolved = resolveOtlpOptions(options, env);
    const headers = resolved.headers;
    this.config = Object.freeze({ ...resolved, headers: maskHeaders(headers) });
    this.#secrets = Object.entries(headers)
      .filter(([name]) => name !== EXPERIMENT_ID_HEADER)
      .flatMap(([, value]) => [value, ...value.split(/\s+/)]);
    this.serializers = loadSerializers();
    const origin = this.config.url.origin;
    this.transport = new HttpTransport({ baseUrl: origin, headers: () => headers, serverName: `the OTLP collector at ${origin}` });
    this.resource = otlpResource(this.config.resourceAttributes);
    this.endpoint = endpointName("POST", this.config.url.pathname);
  }

  async export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
    if (traces.length === 0) return { failures: [] };
    const { encoded, failures } = encodeEach(traces, (trace) => toOtlpSpans([trace], this.resource, SCOPE, this.config.attributeValues));
    if (encoded.length === 0) return { failures };
    try {
      if (this.closed) throw new ExportError("The OTLP client was shut down.", { retryable: false, endpoint: this.endpoint });
      const spans = encoded.flatMap((e) => e.value);
      const json = this.config.protocol === "http/json";
      let serialized = (json ? this.serializers.JsonTraceSerializer : this.serializers.ProtobufTraceSerializer).serializeRequest(spans);
      if (serialized === undefined) throw new ExportError("Could not serialise the OTLP request.", { retryable: false, endpoint: this.endpoint });
      if (json && holdsIntegerOutsideInt64(spans)) serialized = int64SafeJson(serialized);
      let body = Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength);
      const headers: Record<string, string> = { accept: json ? "application/json" : "application/x-protobuf" };
      if (this.config.compression === "gzip") {
        body = await gzipAsync(body);
        headers["content-encoding"] = "gzip";
      }
      const response = await this.send(body, json ? "application/json" : "application/x-protobuf", headers, options.signal);
      this.checkResponse(response);
      return { failures };
    } catch (error) {
      return { failures: [...failures, ...encoded.map((e) => toExportFailure(e.trace.info.traceId, error))] };
    }
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.transport.close();
  }

  [inspect.custom](): string {
    return `OtlpClient { endpoint: ${JSON.stringify(redactUrl(this.config.url.href))}, protocol: ${JSON.stringify(this.config.protocol)}, headers: ${JSON.stringify(this.config.headers)} }`;
  }

  /** Runs the request with OpenTelemetry tracing suppressed, so HTTP instrumentation does not trace the export. */
  private send(body: Buffer, contentType: string, headers: Record<string, string>, signal: AbortSignal): Promise<HttpResponse> {
    const query = Object.fromEntries(this.config.url.searchParams);
    return withOtelTracingSuppressed(() =>
      this.transport.request({ method: "POST", path: this.config.url.pathname, query, body, contentType, headers, signal }),
    );
  }

  private checkResponse(response: HttpResponse): void {
    if (response.status >= 200 && response.status < 300) {
      this.reportPartialSuccess(response);
      return;
    }
    const text = response.body
      .toString("utf8", 0, Math.min(response.body.length, 4096))
      .replace(/[^\x20-\x7e]+/g, " ")
      .trim();
    // A collector may echo the credential it refused; cut after masking, so no part of one is left.
    const detail = redactUrl(redactValues(text, this.#secrets)).slice(0, 300);
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
    // MLflow's /v1/traces refuses a request without the header with a bare validation error that names no fix.
    const hint =
      response.status < 500 && text.includes(EXPERIMENT_ID_HEADER) && this.config.headers[EXPERIMENT_ID_HEADER] === undefined
        ? `. An MLflow server's /v1/traces needs the experiment: pass new OtlpClient({ experimentId: "<id>" }), or set OTEL_EXPORTER_OTLP_TRACES_HEADERS=${EXPERIMENT_ID_HEADER}=<id>`
        : "";
    throw new ExportError(`OTLP export ${this.endpoint} answered ${response.status}${detail === "" ? "" : `: ${detail}`}${hint}`, {
      endpoint: this.endpoint,
      status: response.status,
      retryable: RETRYABLE.has(response.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  /** A collector may accept a request yet reject some spans; the OTLP spec says not to retry those. */
  private reportPartialSuccess(response: HttpResponse): void {
    if (response.body.length === 0) return;
    try {
      const type = String(response.headers["content-type"] ?? "");
      const parsed = type.includes("json")
        ? (JSON.parse(response.body.toString("utf8")) as { partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string } })
        : this.serializers.ProtobufTraceSerializer.deserializeResponse(response.body);
      const rejected = Number(parsed.partialSuccess?.rejectedSpans ?? 0);
      if (rejected > 0) {
        reportOnce("otlp-partial-success", "warn", `OTLP collector rejected ${rejected} span(s): ${parsed.partialSuccess?.errorMessage ?? "no reason given"}`);
      }
    } catch {
      // An unreadable success body is still a success.
    }
  }
}

/**
 * An {@link OtlpClient} configured from the environment when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
 * is set, else `undefined`. The generic `OTEL_EXPORTER_OTLP_ENDPOINT` alone does not count: it
 * usually configures the app's own OpenTelemetry SDK.
 *
 * @example
 * const otlp = otlpClientFromEnv();
 * if (otlp !== undefined) setTraceClient(new FanOutClient([new MlflowRestClient(), otlp]));
 */
export function otlpClientFromEnv(env: NodeJS.ProcessEnv = process.env): OtlpClient | undefined {
  const endpoint = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]?.trim();
  return endpoint === undefined || endpoint === "" ? undefined : new OtlpClient({}, env);
}
