import { setDiagnosticsLogger, startSpan, getLastActiveTrace, type Trace } from "../../../lib/index";
import { resetDiagnosticsCounts } from "../../../lib/internal/diagnostics";
import { routingClient, type DestinationClients } from "../../../lib/export/destination/routing";
import type { FallbackReport } from "../../../lib/export/clients/fallback-client";

describe("routing to the OTLP collector of OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
  });

  it("names the collector, not the local store, when it gives traces up", () => {
    delete process.env["MLFLOW_TRACKING_URI"];
    process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces";
    const messages: string[] = [];
    setDiagnosticsLogger((level, message) => messages.push(`${level}: ${message}`));
    const lost: number[] = [];
    const report: FallbackReport = { kept: () => undefined, lost: (n) => void lost.push(n) };
    const clients: DestinationClients = { otlp: undefined, userClient: undefined, rest: undefined, local: undefined };
    startSpan({ name: "t" }, () => "x");
    const trace = getLastActiveTrace() as Trace;

    void routingClient(
      () => clients,
      () => report,
    ).keepUndelivered([trace], new Error("Request POST /v1/traces failed: ECONNREFUSED"));

    expect(lost).toEqual([1]);
    expect(messages.join("\n")).toContain("traces could not be exported to the OTLP collector at http://127.0.0.1:4318/v1/traces");
    expect(messages.join("\n")).not.toContain("local store");
  });
});
