import { setDiagnosticsLogger, startSpan, getLastActiveTrace, type Trace } from "../../../lib/index";
import { resetDiagnosticsCounts } from "../../../lib/internal/diagnostics";
import { routingClient, type DestinationClients } from "../../../lib/export/destination/routing";
import type { FallbackReport } from "../../../lib/export/clients/fallback-client";
import { LocalStore } from "../../../lib/export/index";

describe("routing to the OTLP collector of OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
  });

  it("keeps the traces it gives up on in the local store and reports them kept from the collector, not lost", async () => {
    delete process.env["MLFLOW_TRACKING_URI"];
    process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces";
    const kept: { count: number; collector: string; dir: string }[] = [];
    const lost: number[] = [];
    const report: FallbackReport = {
      kept: () => undefined,
      keptFromCollector: (count, where) => void kept.push({ count, collector: where.collector, dir: where.dir }),
      lost: (n) => void lost.push(n),
    };
    const clients: DestinationClients = { otlp: undefined, userClient: undefined, rest: undefined, local: undefined };
    startSpan({ name: "t" }, () => "x");
    const trace = getLastActiveTrace() as Trace;

    await routingClient(
      () => clients,
      () => report,
    ).keepUndelivered([trace], new Error("Request POST /v1/traces failed: ECONNREFUSED"));

    const store = new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });
    expect(lost).toEqual([]);
    expect(kept).toEqual([{ count: 1, collector: "http://127.0.0.1:4318/v1/traces", dir: store.dir }]);
    expect((await store.getTrace(trace.info.traceId))?.data.spans[0]!.name).toBe("t");
  });
});
