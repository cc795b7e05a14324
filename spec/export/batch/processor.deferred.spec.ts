// Real timers: the batch timer and an in-flight export interleave as they do in an application.
describe("BatchProcessor deferred intake", () => {
  it("exports a lone trace that arrives while another batch is in flight", async () => {
    const { BatchProcessor } = await import("../../../lib/export/batch/processor");
    const exported: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inFlight: () => void = () => undefined;
    const firstBatchInFlight = new Promise<void>((resolve) => (inFlight = resolve));
    let allExported: () => void = () => undefined;
    const threeExported = new Promise<void>((resolve) => (allExported = resolve));
    let calls = 0;
    const client = {
      async export(traces: readonly { info: { traceId: string } }[]) {
        calls++;
        if (calls === 1) {
          inFlight();
          await gate;
        }
        exported.push(...traces.map((t) => t.info.traceId));
        if (exported.length >= 3) allExported();
        return { failures: [] };
      },
      async shutdown() {},
    };
    const processor = new BatchProcessor(client, { maxBatchSize: 2, scheduledDelayMs: 20, flushOnExit: false });
    processor.enqueue({ info: { traceId: "a" } });
    processor.enqueue({ info: { traceId: "b" } });
    await firstBatchInFlight;
    processor.enqueue({ info: { traceId: "c" } });
    release();
    // Only the batch timer can send "c": nothing flushes here, so a lost lone trace times the test out.
    await threeExported;
    expect(exported).toEqual(["a", "b", "c"]);
    await processor.shutdown();
  });
});

describe("BatchProcessor and a client that throws a configuration error", () => {
  it("fails the batch at once instead of retrying what cannot succeed", async () => {
    const { BatchProcessor } = await import("../../../lib/export/batch/processor");
    const { ConfigError } = await import("../../../lib/export/errors");
    const { setDiagnosticsLogger } = await import("../../../lib/internal/diagnostics");
    setDiagnosticsLogger(() => undefined);
    let calls = 0;
    const failed: string[] = [];
    const processor = new BatchProcessor(
      {
        async export() {
          calls++;
          throw new ConfigError("No tracking URI");
        },
        async shutdown() {},
      },
      {
        scheduledDelayMs: 1,
        initialBackoffMs: 1,
        maxBackoffMs: 2,
        maxAttempts: 5,
        flushOnExit: false,
        onDeliveryFailed: (traces) => failed.push(...traces.map((t) => t.info.traceId)),
      },
    );
    try {
      processor.enqueue({ info: { traceId: "t1" } });
      expect(await processor.flush()).toMatchObject({ exported: 0, failed: 1 });
      expect(calls).toBe(1);
      expect(failed).toEqual(["t1"]);
    } finally {
      await processor.shutdown();
      setDiagnosticsLogger(undefined);
    }
  });
});
