/**
 * Options of the OTLP client, resolved once from arguments and the standard `OTEL_*` environment
 * variables (https://opentelemetry.io/docs/specs/otel/protocol/exporter/).
 */
import { describeValue } from "../../internal/describe-value";
import { redactUrl } from "../../internal/redaction";
import { ConfigError } from "../errors";
import type { OtlpAttributeValues } from "./otlp-spans";

/** OTLP/HTTP encodings; gRPC is not offered (MLflow's `/v1/traces` takes HTTP only). */
export type OtlpProtocol = "http/protobuf" | "http/json";

/** Options of {@link OtlpClient}; each falls back to its `OTEL_EXPORTER_OTLP_TRACES_*` variable. */
export interface OtlpClientOptions {
  /** Full traces URL, e.g. `http://127.0.0.1:4318/v1/traces` (env `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`). */
  readonly endpoint?: string;
  /** Default `http/protobuf` (env `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`). */
  readonly protocol?: OtlpProtocol;
  /** Extra request headers, merged over env `OTEL_EXPORTER_OTLP_HEADERS` and `..._TRACES_HEADERS`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** For an MLflow server's `/v1/traces`: sent as `x-mlflow-experiment-id`. */
  readonly experimentId?: string;
  /** `gzip` or `none` (default; env `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION` / `OTEL_EXPORTER_OTLP_COMPRESSION`). */
  readonly compression?: "gzip" | "none";
  /** `service.name` of the resource (env `OTEL_SERVICE_NAME`, default `unknown_service:node`). */
  readonly serviceName?: string;
  /** More resource attributes, merged over env `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly resourceAttributes?: Readonly<Record<string, string | number | boolean>>;
  /** How object and array attribute values travel (default `"flat"`: JSON text). */
  readonly attributeValues?: OtlpAttributeValues;
}

/** The frozen result of {@link resolveOtlpOptions}. */
export interface ResolvedOtlpOptions {
  readonly url: URL;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: "gzip" | "none";
  readonly resourceAttributes: Readonly<Record<string, string | number | boolean>>;
  readonly attributeValues: OtlpAttributeValues;
}

const DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** `k1=v1,k2=v2` with percent-encoded values, as `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES` use. */
export function parseKeyValueList(text: string | undefined, variable: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new ConfigError(`${variable} must be a list of key=value pairs separated by commas, got an entry "${part.trim()}".`);
    try {
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(`${variable} has a badly percent-encoded entry "${part.trim()}".`);
    }
  }
  return out;
}

function endpointFrom(options: OtlpClientOptions, env: NodeJS.ProcessEnv): { text: string; source: string } {
  if (options.endpoint !== undefined) return { text: options.endpoint, source: "the `endpoint` option" };
  const traces = nonEmpty(env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
  if (traces !== undefined) return { text: traces, source: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" };
  const base = nonEmpty(env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
  if (base !== undefined) return { text: `${base.replace(/\/+$/, "")}/v1/traces`, source: "OTEL_EXPORTER_OTLP_ENDPOINT" };
  return { text: DEFAULT_ENDPOINT, source: "the default" };
}

function protocolFrom(options: OtlpClientOptions, env: NodeJS.ProcessEnv): OtlpProtocol {
  const raw = options.protocol ?? nonEmpty(env["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]) ?? nonEmpty(env["OTEL_EXPORTER_OTLP_PROTOCOL"]) ?? "http/protobuf";
  if (raw === "http/protobuf" || raw === "http/json") return raw;
  throw new ConfigError(
    `OTLP protocol "${raw}" is not supported: use "http/protobuf" or "http/json" (the \`protocol\` option or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL).`,
  );
}

function compressionFrom(options: OtlpClientOptions, env: NodeJS.ProcessEnv): "gzip" | "none" {
  const raw = options.compression ?? nonEmpty(env["OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"]) ?? nonEmpty(env["OTEL_EXPORTER_OTLP_COMPRESSION"]) ?? "none";
  if (raw === "gzip" || raw === "none") return raw;
  throw new ConfigError(
    `OTLP compression "${raw}" is not supported: use "gzip" or "none" (the \`compression\` option or OTEL_EXPORTER_OTLP_TRACES_COMPRESSION).`,
  );
}

/**
 * Validates the options and reads the environment once.
 *
 * @example
 * resolveOtlpOptions({ endpoint: "http://127.0.0.1:5000/v1/traces", experimentId: "1" }).headers;
 * // { "x-mlflow-experiment-id": "1" }
 */
export function resolveOtlpOptions(options: OtlpClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOtlpOptions {
  const { text, source } = endpointFrom(options, env);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`OTLP endpoint "${redactUrl(text)}" (from ${source}) is not a valid URL. Expected e.g. "http://127.0.0.1:4318/v1/traces".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`OTLP endpoint "${url.origin}" (from ${source}) must use http or https.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(`OTLP endpoint (from ${source}) contains credentials: pass them as headers (OTEL_EXPORTER_OTLP_TRACES_HEADERS) instead.`);
  }
  const headers: Record<string, string> = {
    ...parseKeyValueList(env["OTEL_EXPORTER_OTLP_HEADERS"], "OTEL_EXPORTER_OTLP_HEADERS"),
    ...parseKeyValueList(env["OTEL_EXPORTER_OTLP_TRACES_HEADERS"], "OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
    ...options.headers,
  };
  if (options.experimentId !== undefined) {
    if (options.experimentId.trim() === "") throw new ConfigError("`experimentId` must be a non-empty MLflow experiment id.");
    headers["x-mlflow-experiment-id"] = options.experimentId;
  }
  const attributeValues = options.attributeValues ?? "flat";
  if (attributeValues !== "flat" && attributeValues !== "native") {
    throw new ConfigError(`Expected \`attributeValues\` to be "flat" or "native", got ${describeValue(attributeValues)}.`);
  }
  const serviceName = options.serviceName ?? nonEmpty(env["OTEL_SERVICE_NAME"]);
  const envResource = parseKeyValueList(env["OTEL_RESOURCE_ATTRIBUTES"], "OTEL_RESOURCE_ATTRIBUTES");
  return Object.freeze({
    url,
    protocol: protocolFrom(options, env),
    headers: Object.freeze(headers),
    compression: compressionFrom(options, env),
    resourceAttributes: Object.freeze({
      "service.name": "unknown_service:node",
      ...envResource,
      ...(serviceName === undefined ? {} : { "service.name": serviceName }),
      "telemetry.sdk.name": "mlflow-haystack",
      "telemetry.sdk.language": "nodejs",
      ...options.resourceAttributes,
    }),
    attributeValues,
  });
}
