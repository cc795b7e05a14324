/**
 * Wires completed traces to their destination: a sink on the tracing core feeds one batch
 * processor, whose client routes each batch by the configuration in force (`destination/routing.ts`).
 * Traces a server could not take within the retry budget are kept in the local store for `traces sync`
 * by the fallback client in front of it (`clients/fallback-client.ts`).
 */
import { describeValue } from "../internal/describe-value";
import { currentDestination, routingClient, type DestinationClients } from "./destination/routing";
import type { TraceDestination } from "./destination/assessment-stores";
import { reportOnce } from "../internal/diagnostics";
import { checkOptionKeys } from "../internal/option-keys";
import { globalSlot } from "../internal/global-registry";
import { sdkState } from "../internal/global-state";
import { addTraceSink } from "../tracing/completed-traces";
import { setEnvironmentMetadataProvider } from "../tracing/environment";
import { runOutsideSpans } from "../tracing/context-bridge";
import { envMetadata } from "./mlflow/env-metadata";
import { type Trace } from "../tracing/trace";
import { BatchProcessor } from "./batch/processor";
import { DeliveryReport } from "./batch/delivery-report";
import { BATCH_OPTION_KEYS, resolveBatchOptions, type BatchProcessorOptions } from "./batch/options";
import type { FlushResult } from "./batch/flush-waiters";
import { estimateTraceBytes } from "./clients/trace-size";
import type { TraceClient } from "./clients/trace-client";
import { withOtelTracingSuppressed } from "../otel/suppress";

interface ExporterState extends DestinationClients {
  processor: BatchProcessor<Trace> | undefined;
  options: BatchProcessorOptions<Trace>;
  removeSink: (() => void) | undefined;
  /** Absent in the state of an older copy of the package. */
  report?: DeliveryReport;
  /** Processors `shutdownExport`/`configureExport` are shutting down; absent in an older copy's state. */
  closing?: Set<BatchProcessor<Trace>>;
}

let cachedState: ExporterState | undefined;

/** The exporter state every copy of the package shares (the global registry's `exporter` slot). */
function state(): ExporterState {
  return (cachedState ??= globalSlot("exporter", (): ExporterState => ({
    processor: undefined,
    otlp: undefined,
    options: {},
    userClient: undefined,
    rest: undefined,
    local: undefined,
    removeSink: undefined,
  })));
}

const routing = routingClient(state, deliveryReport);

/** @internal Where traces go now (for the assessment functions). */
export function assessmentDestination(): TraceDestination {
  return currentDestination(state());
}

function deliveryReport(): DeliveryReport {
  const st = state();
  return (st.report ??= new DeliveryReport(() => ({ queueFull: st.processor?.getStats().dropped ?? 0, storeFull: st.local?.droppedPending ?? 0 })));
}

function processor(): BatchProcessor<Trace> {
  const st = state();
  if (st.processor === undefined) deliveryReport().armExitLine();
  st.processor ??= new BatchProcessor<Trace>(routing, {
    sizeOf: estimateTraceBytes,
    // Export requests belong to no trace: neither ours nor an OpenTelemetry instrumentation's.
    runOutsideTracing: (fn) => runOutsideSpans(sdkState().context, () => withOtelTracingSuppressed(fn)),
    ...st.options,
  });
  return st.processor;
}

/** Installs the export sink once per process (every copy of the package shares it). */
export function installExporter(): void {
  // Per copy of the package: each copy's trace assembly reads its own provider.
  setEnvironmentMetadataProvider(envMetadata);
  const st = state();
  if (st.removeSink !== undefined) return;
  st.removeSink = addTraceSink({ onTraceCompleted: (trace) => processor().enqueue(trace) });
  sdkState().traceReader = (traceId) => routing.getTrace?.(traceId) ?? Promise.resolve(undefined);
}

/**
 * Sends traces to your own {@link TraceClient} instead of the configured destination;
 * `undefined` goes back to the tracking URI (or the local store).
 *
 * @example
 * const memory = new MemoryClient();
 * setTraceClient(memory);
 */
export function setTraceClient(client: TraceClient | undefined): void {
  state().userClient = client;
}

/** How long `flushTraces()` waits when no `timeoutMs` is given. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;
/** A flush still waiting after this long says so, once per process (a quick flush stays quiet). */
const FLUSH_NOTICE_AFTER_MS = 10_000;

/**
 * Waits until every trace completed before the call has been delivered, or has failed for good
 * and been kept in the local store, and says how many; traces still unsettled after `timeoutMs`
 * (default 30 s) are counted as `pending` and keep being retried. A server that cannot be reached
 * at all (connection refused, unknown host) is not waited for: those traces are counted `pending`
 * at once. Call it before a serverless handler returns or the process exits. Never rejects.
 *
 * @example
 * export const handler = async (event) => { const out = await pipe.run(event); await flushTraces(); return out; };
 */
export async function flushTraces(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
  const st = state();
  // A shutdown in progress still holds traces completed before this call: they are waited for too.
  const processors = [...(st.closing ?? []), ...(st.processor === undefined ? [] : [st.processor])];
  if (processors.length === 0) return sumResults([]);
  const timeoutMs = checkedTimeout("flushTraces", options.timeoutMs) ?? DEFAULT_FLUSH_TIMEOUT_MS;
  const notice = setTimeout(
    () => {
      let waiting = 0;
      for (const p of processors) {
        const { queued, inFlight } = p.getStats();
        waiting += queued + inFlight;
      }
      if (waiting === 0) return;
      reportOnce(
        "export.flush-waiting",
        "warn",
        `flushTraces() is waiting for ${waiting} trace(s) to be delivered; it returns after up to ${formatSeconds(timeoutMs)} ` +
          "(pass { timeoutMs } to change that); traces still pending then keep being retried",
      );
    },
    Math.min(FLUSH_NOTICE_AFTER_MS, timeoutMs),
  );
  notice.unref();
  try {
    return sumResults(await Promise.all(processors.map((p) => p.flush({ timeoutMs }))));
  } finally {
    clearTimeout(notice);
  }
}

function sumResults(results: readonly FlushResult[]): FlushResult {
  const sum = { exported: 0, failed: 0, dropped: 0, pending: 0 };
  for (const r of results) {
    sum.exported += r.exported;
    sum.failed += r.failed;
    sum.dropped += r.dropped;
    sum.pending += r.pending;
  }
  return sum;
}

/**
 * Shuts `processor` down, keeping it where `flushTraces` and `shutdownExport` find it until that
 * ends, so they wait for what it still holds instead of answering "nothing to flush".
 */
function retire(st: ExporterState, processor: BatchProcessor<Trace>, options: { readonly timeoutMs?: number }): void {
  const closing = (st.closing ??= new Set());
  closing.add(processor);
  const leave = (): void => void closing.delete(processor);
  // Its callers await (and hear) the same shutdown promise; this branch must not add an unhandled rejection.
  processor.shutdown(options).then(leave, leave);
}

/**
 * `timeoutMs` when it is a number of milliseconds >= 0 (`Infinity`: no deadline). Anything else (a
 * string from an environment variable, NaN) would silently mean no deadline at all: it is reported
 * once and the default 30 s applies.
 */
function checkedTimeout(api: string, timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined || (typeof timeoutMs === "number" && timeoutMs >= 0)) return timeoutMs;
  reportOnce(
    `${api}.invalid-timeout`,
    "warn",
    `TypeError: ${api}() expected \`timeoutMs\` to be a number of milliseconds >= 0, got ${describeValue(timeoutMs)}; it waits up to ${formatSeconds(DEFAULT_FLUSH_TIMEOUT_MS)}`,
  );
  return DEFAULT_FLUSH_TIMEOUT_MS;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Settings of {@link configureExport}: queue bounds, batching, timeouts, retries and the exit
 * flush. Every field is optional; defaults are listed per field.
 */
export type ExportSettings = Omit<BatchProcessorOptions, "sizeOf" | "onDeliveryFailed" | "runOutsideTracing">;

/**
 * Changes batching and retry settings (see the README's table); traces already queued are
 * flushed first with the old settings.
 *
 * @example
 * await configureExport({ scheduledDelayMs: 200, maxAttempts: 3 });
 */
export async function configureExport(options: ExportSettings): Promise<void> {
  // The hooks the exporter sets itself (local-store fallback, sizes, suppression) are not settings:
  // one passed from JavaScript is ignored rather than allowed to turn the fallback off.
  checkOptionKeys("configureExport", options, BATCH_OPTION_KEYS);
  const { sizeOf: _sizeOf, onDeliveryFailed: _onDeliveryFailed, runOutsideTracing: _runOutsideTracing, ...settings } = options as BatchProcessorOptions<Trace>;
  resolveBatchOptions(settings);
  const st = state();
  const previous = st.processor;
  st.options = settings;
  st.processor = undefined;
  if (previous === undefined) return;
  retire(st, previous, {});
  await previous.shutdown();
}

/**
 * Flushes, then closes the exporter's connections. Traces completed afterwards start a new
 * exporter. Use it when a long-running process wants to release sockets deliberately.
 *
 * @example
 * process.on("SIGTERM", async () => { await shutdownExport(); process.exit(0); });
 */
export async function shutdownExport(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
  const st = state();
  const current = st.processor;
  st.processor = undefined;
  const timeoutMs = checkedTimeout("shutdownExport", options.timeoutMs);
  if (current !== undefined) retire(st, current, timeoutMs === undefined ? {} : { timeoutMs });
  // A shutdown already in progress is waited for (and counted) too: its traces are not delivered yet.
  const result = sumResults(await Promise.all([...(st.closing ?? [])].map((p) => p.shutdown())));
  const rest = st.rest;
  st.rest = undefined;
  const otlp = st.otlp;
  st.otlp = undefined;
  // A client that fails to close (a user's own, say) costs the caller neither the result nor a rejection.
  const closing = [rest, st.userClient, otlp?.client].map((client) => new Promise<void>((resolve) => resolve(client?.shutdown())));
  for (const outcome of await Promise.allSettled(closing)) {
    if (outcome.status === "rejected") reportOnce("export.client-shutdown", "warn", "the trace client failed to shut down", outcome.reason);
  }
  return result;
}
