/**
 * Memory held while many traces meet a server that is down: a port that refuses connections
 * (every export fails and is retried with backoff) and a server that accepts and never answers
 * (exports hang until `exportTimeoutMs`). Ours must stay bounded by `maxQueueSize`, dropping the
 * rest and counting them.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { BatchProcessor } from "../../lib/export/batch/processor";
import { estimateJsonBytes } from "../../lib/export/batch/options";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { getLastActiveTrace } from "../../lib/tracing/fluent";
import type { Trace } from "../../lib/tracing/trace";
import { runTrace } from "./bench-traces";
import { startSilentServer } from "./sink-server";

/** What one outage run held and counted. */
export interface OutageResult {
  readonly label: string;
  readonly traces: number;
  readonly heldMiB: number;
  readonly traceBytes: number;
  readonly maxQueueSize: number;
  readonly maxQueueBytes: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly dropped: number;
  readonly failed: number;
  readonly seconds: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** A loopback port with nothing listening (bound, then closed). */
function refusedUrl(): Promise<string> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

async function outage(label: string, url: string, count: number): Promise<OutageResult> {
  const start = Date.now();
  const client = new MlflowRestClient({ trackingUri: url, experiment: { experimentId: "1" } });
  const processor = new BatchProcessor<Trace>(client, { flushOnExit: false });
  const before = heapUsed();
  let sample: Trace | undefined;
  for (let i = 0; i < count; i++) {
    runTrace(i);
    const trace = getLastActiveTrace() as Trace;
    if (i === 0) sample = trace;
    processor.enqueue(trace);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r)); // the processor's own ticks
  }
  await new Promise((r) => setTimeout(r, 50));
  const heldMiB = (heapUsed() - before) / 1024 / 1024;
  const stats = processor.getStats();
  const result: OutageResult = {
    label,
    traces: count,
    heldMiB,
    traceBytes: sample === undefined ? 0 : estimateJsonBytes(sample),
    maxQueueSize: processor.config.maxQueueSize,
    maxQueueBytes: processor.config.maxQueueBytes,
    queued: stats.queued,
    inFlight: stats.inFlight,
    dropped: stats.dropped,
    failed: stats.failed,
    seconds: (Date.now() - start) / 1000,
  };
  await processor.shutdown({ timeoutMs: 0 });
  return result;
}

/** Both outages, one after the other. */
export async function outageMemory(count: number): Promise<OutageResult[]> {
  const results = [await outage("connection refused", await refusedUrl(), count)];
  const silent = await startSilentServer();
  try {
    results.push(await outage("accepts, never answers", silent.url, count));
  } finally {
    await silent.close();
  }
  return results;
}
