/**
 * Cost of `BatchProcessor.enqueue` on the caller's hot path, against pushing onto a plain array,
 * and the memory the processor holds when 100,000 traces meet a dead (never answering) client.
 *
 * Run: node --expose-gc -r ts-node/register/transpile-only bench/export-queue.bench.ts
 */
import { BatchProcessor, type BatchExportClient } from "../lib/export/batch/processor";
import { setDiagnosticsLogger } from "../lib/internal/diagnostics";

interface BenchTrace {
  readonly info: { readonly traceId: string };
  readonly data: { readonly spans: readonly { name: string; attributes: Record<string, string> }[] };
}

function makeTrace(i: number, payloadChars: number): BenchTrace {
  return {
    info: { traceId: `tr-${i.toString(16).padStart(32, "0")}` },
    data: { spans: [{ name: "pipeline.run", attributes: { "mlflow.spanInputs": "x".repeat(payloadChars) } }] },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const ackClient: BatchExportClient<BenchTrace> = { export: async () => ({ failures: [] }), shutdown: async () => {} };
const deadClient: BatchExportClient<BenchTrace> = { export: () => new Promise(() => {}), shutdown: async () => {} };

/** ns per operation of `op` over `traces`, best of `rounds`, with `reset` run untimed between rounds. */
async function measure(traces: BenchTrace[], rounds: number, op: (t: BenchTrace) => void, reset: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (const t of traces) op(t);
    const ns = Number(process.hrtime.bigint() - start) / traces.length;
    best = Math.min(best, ns);
    await reset();
  }
  return best;
}

async function enqueueCost(): Promise<void> {
  const n = 100_000;
  const traces = Array.from({ length: n }, (_, i) => makeTrace(i, 64));
  let sink: BenchTrace[] = [];
  const baseline = await measure(
    traces,
    15,
    (t) => void sink.push(t),
    async () => {
      sink = [];
    },
  );
  const processor = new BatchProcessor(ackClient, { maxQueueSize: n, maxBatchSize: 1000, maxConcurrentExports: 8, flushOnExit: false });
  const accepted = await measure(
    traces,
    15,
    (t) => processor.enqueue(t),
    async () => {
      await processor.flush();
    },
  );
  const full = new BatchProcessor(deadClient, { maxQueueSize: 1, flushOnExit: false });
  full.enqueue(traces[0] as BenchTrace);
  const dropped = await measure(
    traces,
    15,
    (t) => full.enqueue(t),
    async () => {},
  );
  console.log(`enqueue, accepted : ${accepted.toFixed(1)} ns/trace (${(accepted / baseline).toFixed(2)}x array push)`);
  console.log(`enqueue, dropped  : ${dropped.toFixed(1)} ns/trace (${(dropped / baseline).toFixed(2)}x array push)`);
  console.log(`array push        : ${baseline.toFixed(1)} ns/trace (baseline)`);
  await processor.shutdown();
  await full.shutdown({ timeoutMs: 0 });
}

async function memoryAgainstDeadClient(): Promise<void> {
  const payload = 1024;
  const before = heapUsed();
  const processor = new BatchProcessor(deadClient, { flushOnExit: false });
  for (let i = 0; i < 100_000; i++) {
    processor.enqueue(makeTrace(i, payload));
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve)); // let the processor work
  }
  await new Promise((resolve) => setImmediate(resolve));
  const held = heapUsed() - before;
  const stats = processor.getStats();
  const bound = processor.config.maxQueueSize * (payload + 200);
  console.log(
    `dead client, 100000 traces of ~${payload} B: heap held ${(held / 1024 / 1024).toFixed(2)} MiB ` +
      `(queue bound ~${(bound / 1024 / 1024).toFixed(2)} MiB, ratio ${(held / bound).toFixed(2)}); ` +
      `queued ${stats.queued}, in flight ${stats.inFlight}, dropped ${stats.dropped}`,
  );
  const result = await processor.shutdown({ timeoutMs: 0 });
  console.log(`shutdown with a 0 ms deadline handed ${result.failed} traces to onDeliveryFailed`);
  if (gc === undefined) console.log("(run with --expose-gc for stable heap numbers)");
}

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined); // the SDK's warnings (queue full, shut down) are expected here
  await enqueueCost();
  await memoryAgainstDeadClient();
}

void main();
