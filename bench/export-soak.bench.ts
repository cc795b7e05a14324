/**
 * Soak: a long outage, then the server comes back. N finished 5-span traces (1 KiB of inputs per
 * span) are produced at a steady rate through the public API while the tracking server's port
 * refuses connections; then a server starts on that port, `flushTraces()` drains what is held,
 * and `traces sync` sends what was kept in the local store. Printed: peak RSS against the RSS
 * before the outage (same run), the local store's size, and traces delivered / kept / dropped.
 *
 * Run: npm run bench:soak
 *   (= node --expose-gc -r ts-node/register/transpile-only bench/export-soak.bench.ts)
 * Env: SOAK_TRACES (default 150000), SOAK_RATE traces/s (default 800), SOAK_STORE (default: a temp dir).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mlflow from "../lib/index";
import { LocalStore } from "../lib/export/clients/local-store/store";
import { syncPendingTraces } from "../lib/cli/local-store/sync";
import { runTrace } from "./support/bench-traces";
import { startSinkServer } from "./support/sink-server";
import { pendingIndex } from "../lib/export/clients/local-store/destinations";
import { LocalStoreReader } from "../lib/export/clients/local-store/reader";

const N = Number(process.env["SOAK_TRACES"] ?? 150_000);
const RATE = Number(process.env["SOAK_RATE"] ?? 800);
const out = (line = ""): void => void process.stdout.write(`${line}\n`);
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const gc = (globalThis as { gc?: () => void }).gc;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function storeSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        files += 1;
        bytes += statSync(path).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

async function main(): Promise<void> {
  const dir = process.env["SOAK_STORE"] ?? mkdtempSync(join(tmpdir(), "mlflow-haystack-soak-"));
  process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = dir;
  const warnings: string[] = [];
  mlflow.setDiagnosticsLogger((level, message) => {
    if (level === "warn" || level === "error") warnings.push(message);
  });
  const port = await freePort();
  mlflow.setTrackingUri(`http://127.0.0.1:${port}`);
  void mlflow.setExperiment({ experimentId: "1" });

  gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

  out(`Soak: ${N} traces at ${RATE}/s against a dead server (port ${port}), then a server on that port.`);
  const started = Date.now();
  for (let i = 0; i < N;) {
    const due = Math.min(N, Math.floor(((Date.now() - started) / 1000) * RATE) + 1);
    for (; i < due; i++) runTrace(i);
    await new Promise((r) => setTimeout(r, 10));
  }
  const outageSeconds = (Date.now() - started) / 1000;
  const duringOutage = storeSize(dir);

  const sink = await startSinkServer(port);
  const flushed = await mlflow.flushTraces({ timeoutMs: 180_000 });
  const deliveredByRetry = sink.stats.startTrace;
  const store = new LocalStore({ dir });
  const kept = (await pendingIndex(store.dir)).size;
  const afterFlush = storeSize(dir);
  const synced = await syncPendingTraces(new LocalStoreReader(store.dir));
  const sent = synced.reduce((n, s) => n + s.result.sent, 0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const dropped = N - deliveredByRetry - kept;
  out();
  out(`| measure | value |`);
  out(`|---|---|`);
  out(`| outage | ${outageSeconds.toFixed(0)} s, ${N} traces |`);
  out(`| RSS before the outage / peak | ${mib(baseline)} MiB / ${mib(peak)} MiB (${(peak / baseline).toFixed(2)}x) |`);
  out(`| local store at the end of the outage | ${duringOutage.files} files, ${mib(duringOutage.bytes)} MiB |`);
  out(`| local store after the flush | ${afterFlush.files} files, ${mib(afterFlush.bytes)} MiB |`);
  out(`| delivered by retries once the server was back | ${deliveredByRetry} |`);
  out(`| kept in the local store for traces sync | ${kept} (sync sent ${sent}) |`);
  out(`| dropped (queue full, or over maxPendingTraces) | ${dropped} |`);
  out(`| last flushTraces() | ${JSON.stringify(flushed)} |`);
  out(`| warnings | ${warnings.length}: ${warnings.map((w) => w.slice(0, 80)).join(" / ")} |`);
  await mlflow.shutdownExport();
  await new Promise<void>((r) => sink.server.close(() => r()));
  sink.server.closeAllConnections();
  if (process.env["SOAK_STORE"] === undefined) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
