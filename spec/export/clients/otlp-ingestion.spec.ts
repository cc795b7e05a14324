import { estimateTraceBytes } from "../../../lib/export/clients/trace-size";
import { MlflowApiError } from "../../../lib/export/errors";
import { meansOtlpUnsupported, otlpRequestGroups } from "../../../lib/export/clients/otlp-ingestion";
import { getLastActiveTrace, startSpan, type Trace } from "../../../lib/index";

function traceWithInput(text: string): Trace {
  startSpan({ name: "root", inputs: { text } }, () => "ok");
  return getLastActiveTrace()!;
}

function apiError(status: number, code: string, serverMessage = ""): MlflowApiError {
  return new MlflowApiError(`POST /v1/traces failed with HTTP ${status}`, { endpoint: "POST /v1/traces", status, code, serverMessage });
}

describe("otlpRequestGroups", () => {
  it("keeps one experiment per request and splits a request once its estimated size passes the limit", () => {
    const small = traceWithInput("x".repeat(1_000));
    const size = estimateTraceBytes(small);
    const targets = [
      { trace: small, experimentId: "1" },
      { trace: traceWithInput("a"), experimentId: "2" },
      { trace: traceWithInput("y".repeat(1_000)), experimentId: "1" },
      { trace: traceWithInput("z".repeat(1_000)), experimentId: "1" },
    ];
    const groups = otlpRequestGroups(targets, 2 * size + 10);
    expect(groups.map((g) => [g.experimentId, g.targets.map((t) => targets.indexOf(t))])).toEqual([
      ["1", [0, 2]],
      ["2", [1]],
      ["1", [3]],
    ]);
  });

  it("sends a trace bigger than the limit alone rather than dropping it", () => {
    const big = traceWithInput("b".repeat(50_000));
    const groups = otlpRequestGroups(
      [
        { trace: big, experimentId: "1" },
        { trace: traceWithInput("s"), experimentId: "1" },
      ],
      10_000,
    );
    expect(groups.map((g) => g.targets.length)).toEqual([1, 1]);
  });
});

describe("meansOtlpUnsupported", () => {
  it("is true only for answers that say the server has no OTLP ingestion", () => {
    expect(meansOtlpUnsupported(apiError(501, "HTTP_501", "REST OTLP span logging is not supported by FileStore"))).toBe(true);
    expect(meansOtlpUnsupported(apiError(405, "HTTP_405"))).toBe(true);
    expect(meansOtlpUnsupported(apiError(404, "HTTP_404", "Not Found"))).toBe(true);
    expect(meansOtlpUnsupported(apiError(400, "HTTP_400", "Invalid Content-Type: application/json"))).toBe(true);
    expect(meansOtlpUnsupported(apiError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=7"))).toBe(false);
    expect(meansOtlpUnsupported(apiError(400, "HTTP_400", "Invalid OpenTelemetry format"))).toBe(false);
    expect(meansOtlpUnsupported(apiError(422, "HTTP_422", "Cannot convert OpenTelemetry span to MLflow span"))).toBe(false);
    expect(meansOtlpUnsupported(apiError(503, "HTTP_503"))).toBe(false);
    expect(meansOtlpUnsupported(new Error("socket hang up"))).toBe(false);
  });
});
