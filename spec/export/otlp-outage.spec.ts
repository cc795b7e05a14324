import { createServer, type Server } from "node:http";
import * as mlflow from "../../lib/index";
import { LocalStore } from "../../lib/export/index";
import { resetDiagnosticsCounts } from "../../lib/internal/diagnostics";
import { startCollector } from "./clients/otlp-collector";
import { closedPort } from "../support/closed-port";

const RETRY_FAST = { maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10, scheduledDelayMs: 1, flushOnExit: false } as const;

/** Warnings on the diagnostics channel, and a promise for the first one matching `pattern`. */
function listenForWarnings(pattern: RegExp): { messages: string[]; first: Promise<string> } {
  const messages: string[] = [];
  let seen: (message: string) => void = () => undefined;
  const first = new Promise<string>((resolve) => (seen = resolve));
  mlflow.setDiagnosticsLogger((level, message, error) => {
    const line = `${level}: ${message}${error instanceof Error ? `: ${error.message}` : ""}`;
    messages.push(line);
    if (pattern.test(line)) seen(line);
  });
  return { messages, first };
}

function traceNamed(name: string): string {
  mlflow.startSpan({ name }, () => undefined);
  return mlflow.getLastActiveTraceId()!;
}

const store = (): LocalStore => new LocalStore({ dir: process.env["MLFLOW_HAYSTACK_LOCAL_DIR"]! });

describe("an OTLP collector as the only destination, while it is down", () => {
  afterEach(async () => {
    delete process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
    mlflow.setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
    await mlflow.configureExport({});
  });

  it("keeps the traces a collector answering 503 never took in the local store, says where, and sends new ones once it recovers", async () => {
    const collector = await startCollector();
    try {
      process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = `${collector.url}/v1/traces`;
      await mlflow.configureExport(RETRY_FAST);
      const { messages } = listenForWarnings(/kept/);
      collector.answer({ status: 503, body: "down" }, { status: 503, body: "down" });
      const refused = traceNamed("refused-by-collector");

      expect(await mlflow.flushTraces()).toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });
      // Nothing but the flush is awaited: the trace must be on disk when it resolves.
      expect((await store().getTrace(refused))?.data.spans[0]!.name).toBe("refused-by-collector");
      const warnings = messages.filter((m) => m.includes(collector.url));
      expect(warnings).toEqual([expect.stringContaining(`could not be exported to the OTLP collector at ${collector.url}/v1/traces`)]);
      expect(warnings[0]).toContain(`kept in ${store().dir}`);
      expect(warnings[0]).toContain("answered 503");

      const later = traceNamed("after-recovery");
      expect(await mlflow.flushTraces()).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
      expect(collector.requests).toHaveLength(3);
      expect(collector.requests[2]!.body.toString("latin1")).toContain("after-recovery");
      expect(await store().getTrace(later)).toBeUndefined();
    } finally {
      await collector.close();
    }
  });

  it("keeps the traces a refused connection never delivered, with flush counts that say so, and delivers once the collector listens", async () => {
    const port = await closedPort();
    process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = `http://127.0.0.1:${port}/v1/traces`;
    await mlflow.configureExport(RETRY_FAST);
    const { first: kept } = listenForWarnings(/kept in/);
    const refused = traceNamed("connection-refused");

    // A collector nobody listens at is not waited for: the trace is pending, still being retried.
    expect(await mlflow.flushTraces()).toEqual({ exported: 0, failed: 0, dropped: 0, pending: 1 });
    expect(await kept).toContain("ECONNREFUSED");
    expect((await store().getTrace(refused))?.data.spans[0]!.name).toBe("connection-refused");
    // The give-up since the previous flush is counted by the next one.
    expect(await mlflow.flushTraces()).toEqual({ exported: 0, failed: 1, dropped: 0, pending: 0 });

    const requests: string[] = [];
    const recovered: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        requests.push(Buffer.concat(chunks).toString("latin1"));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => recovered.listen(port, "127.0.0.1", resolve));
    try {
      traceNamed("collector-back");
      expect(await mlflow.flushTraces()).toEqual({ exported: 1, failed: 0, dropped: 0, pending: 0 });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toContain("collector-back");
    } finally {
      await new Promise((resolve) => recovered.close(resolve));
    }
  });
});
