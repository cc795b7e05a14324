/** Resolving OtlpClient options from arguments and the standard OTEL_* environment variables. */
import { ConfigError } from "../../../lib/export/errors";
import { resolveOtlpOptions } from "../../../lib/export/clients/otlp-config";

describe("resolveOtlpOptions", () => {
  it("takes the endpoint from the option, then OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, then OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, then localhost:4318", () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:1/custom", OTEL_EXPORTER_OTLP_ENDPOINT: "http://base:2/" };
    expect(resolveOtlpOptions({ endpoint: "https://opt:3/v1/traces" }, env).url.href).toBe("https://opt:3/v1/traces");
    expect(resolveOtlpOptions({}, env).url.href).toBe("http://traces:1/custom");
    expect(resolveOtlpOptions({}, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://base:2/" }).url.href).toBe("http://base:2/v1/traces");
    expect(resolveOtlpOptions({}, {}).url.href).toBe("http://localhost:4318/v1/traces");
  });

  it("reads protocol, compression and headers, signal-specific variables over generic ones and options over both", () => {
    const resolved = resolveOtlpOptions(
      { headers: { "x-b": "option" } },
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
        OTEL_EXPORTER_OTLP_HEADERS: "x-a=generic,x-b=generic",
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-a=traces%3D1",
      },
    );
    expect(resolved).toMatchObject({ protocol: "http/json", compression: "gzip", headers: { "x-a": "traces=1", "x-b": "option" } });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it("builds the resource from OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and options", () => {
    const { resourceAttributes } = resolveOtlpOptions(
      { resourceAttributes: { "deployment.environment": "prod" } },
      { OTEL_SERVICE_NAME: "rag-api", OTEL_RESOURCE_ATTRIBUTES: "service.name=ignored,team=ml%20ops" },
    );
    expect(resourceAttributes).toEqual({
      "service.name": "rag-api",
      team: "ml ops",
      "telemetry.sdk.name": "mlflow-haystack",
      "telemetry.sdk.language": "nodejs",
      "deployment.environment": "prod",
    });
    expect(resolveOtlpOptions({}, {}).resourceAttributes["service.name"]).toBe("unknown_service:node");
  });

  it.each([
    [{ protocol: "grpc" }, {}, /"grpc" is not supported: use "http\/protobuf" or "http\/json"/],
    [{}, { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc" }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/],
    [{ endpoint: "not a url" }, {}, /"not a url" \(from the `endpoint` option\) is not a valid URL/],
    [{ endpoint: "ftp://x/v1/traces" }, {}, /must use http or https/],
    [{ endpoint: "http://user:secret@x/v1/traces" }, {}, /contains credentials/],
    [{}, { OTEL_EXPORTER_OTLP_HEADERS: "novalue" }, /OTEL_EXPORTER_OTLP_HEADERS must be a list of key=value pairs/],
    [{ compression: "br" }, {}, /compression "br" is not supported/],
    [{ experimentId: " " }, {}, /experimentId/],
    [{ attributeValues: "json" }, {}, /attributeValues/],
  ])("throws ConfigError for %j with env %j", (options, env, message) => {
    const run = (): unknown => resolveOtlpOptions(options as never, env);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it("never repeats credentials from the URL in its error", () => {
    expect(() => resolveOtlpOptions({ endpoint: "http://user:secret@x/v1/traces" }, {})).not.toThrow(/secret/);
    expect(() => resolveOtlpOptions({ endpoint: "http://user:secret@bad host/v1/traces" }, {})).toThrow('"http://***@bad host/v1/traces"');
  });
});
