/**
 * Wires completed traces to their destination: a sink on the tracing core feeds one batch
 * processor, whose client routes each batch by the configuration in force — a client set with
 * `setTraceClient`, else the MLflow server of the tracking URI, else the local store. Traces a
 * server could not take within the retry budget are kept in the local store for `traces sync`.
 */
import { getExperimentSpec, getTrackingUri } from "../config";
import { isProcessEnding, isProcessExiting } from "./batch/exit-flush";
import { reportOnce } from "../internal/diagnostics";
import { sdkState } from "../internal/global-state";
import { addTraceSink } from "../tracing/completed-traces";
import { Trace } from "../tracing/trace";
import { BatchProcessor } from "./batch/processor";
import { DeliveryReport } from "./batch/delivery-report";
import { resolveBatchOptions, type BatchProcessorOptions } from "./batch/options";
import type { FlushResult } from "./batch/flush-waiters";
import { LocalStore } from "./clients/local-store/store";
import { isLocalStoreUri, isServerUri } from "./server-uri";
import { defaultLocalStoreDir, parseLocalStoreUri } from "./clients/local-store/location";
import { MlflowRestClient } from "./clients/mlflow-rest-client";
import { estimateTraceBytes } from "./clients/trace-size";
import type { ExportOptions, ExportResult, TraceClient } from "./clients/trace-client";
import { FanOutClient } from "./clients/fan-out-client";
import { OtlpClient, otlpClientFromEnv } from "./clients/otlp-client";
import { withOtelTracingSuppressed } from "../otel/suppress";

interface ExporterState {
  processor: BatchProcessor<Trace> | undefined;
  /** The OTLP client (and its fan-out with the MLflow client) for `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  otlp: { endpoint: string; client: OtlpClient | undefined; fanOut: FanOutClient | undefined } | undefined;
  options: BatchProcessorOptions<Trace>;
  userClient: TraceClient | undefined;
  rest: MlflowRestClient | undefined;
  local: LocalStore | undefined;
  removeSink: (() => void) | undefined;
  /** Absent in the state of an older copy of the package. */
  report?: DeliveryReport;
}

const KEY = Symbol.for("mlflow-haystack.v0.exporter");

let cachedState: ExporterState | undefined;

/** The exporter state every copy of the package shares (looked up on `globalThis` once). */
function state(): ExporterState {
  if (cachedState !== undefined) return cachedState;
  const holder = globalThis as unknown as Record<symbol, ExporterState | undefined>;
  return (cachedState = holder[KEY] ??= { processor: undefined, otlp: undefined, options: {}, userClient: undefined, rest: undefined, local: undefined, removeSink: undefined });
}

function localStore(uri: string | undefined): LocalStore {
  const st = state();
  const dir = (uri === undefined ? undefined : parseLocalStoreUri(uri)) ?? defaultLocalStoreDir();
  if (st.local === undefined || st.local.dir !== dir) st.local = new LocalStore({ dir });
  return st.local;
}

/** The OTLP collector of `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, if set. */
function otlpFromEnv(): ExporterState["otlp"] {
  const st = state();
  const endpoint = process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]?.trim();
  if (endpoint === undefined || endpoint === "") return undefined;
  if (st.otlp?.endpoint !== endpoint) {
    let client: OtlpClient | undefined;
    try {
      client = otlpClientFromEnv();
    } catch (error) {
      // A collector we cannot serve (say OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc) must not cost the
      // other destination its traces.
      reportOnce("export.otlp-env", "warn", "OTEL_EXPORTER_OTLP_TRACES_* is set to something this SDK cannot send to; traces go to the other destination only", error);
    }
    st.otlp = { endpoint, client, fanOut: undefined };
  }
  return st.otlp.client === undefined ? undefined : st.otlp;
}

/**
 * The client for the configuration in force now: `setTraceClient`; else the tracking URI's MLflow
 * server (together with the OTLP collector of `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, when set); else
 * that collector alone; else the local store.
 */
function currentClient(): { client: TraceClient; remoteUri: string | undefined } {
  const st = state();
  if (st.userClient !== undefined) return { client: st.userClient, remoteUri: undefined };
  const uri = getTrackingUri();
  const otlp = otlpFromEnv();
  if (!isServerUri(uri)) {
    return { client: otlp?.client ?? localStore(isLocalStoreUri(uri) ? uri : undefined), remoteUri: undefined };
  }
  const rest = (st.rest ??= new MlflowRestClient());
  if (otlp === undefined) return { client: rest, remoteUri: uri };
  return { client: (otlp.fanOut ??= new FanOutClient([rest, otlp.client as OtlpClient])), remoteUri: uri };
}

const routingClient: TraceClient = {
  export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
    return currentClient().client.export(traces, options);
  },
  async getTrace(traceId: string): Promise<Trace | undefined> {
    const { client } = currentClient();
    return client.getTrace === undefined ? undefined : client.getTrace(traceId);
  },
  // Clients outlive any one processor (configureExport replaces it); shutdownExport closes them.
  async shutdown(): Promise<void> {},
};

/**
 * Where traces that failed for good go: for a server, the local store keeps them for `traces sync`
 * (the returned promise settles once they are on disk, or at once at exit, where only synchronous
 * writes finish); for the local store itself at exit, a synchronous write. The delivery report
 * tells the user, once during the run and in one line at exit.
 */
function keepUndelivered(traces: readonly Trace[], error: Error): Promise<void> | undefined {
  const st = state();
  const report = deliveryReport();
  const uri = getTrackingUri();
  const exiting = isProcessExiting();
  const ending = isProcessEnding();
  if (st.userClient !== undefined || !isServerUri(uri)) {
    if (st.userClient === undefined && exiting) {
      try {
        localStore(isLocalStoreUri(uri) ? uri : undefined).exportSync(traces);
        return undefined;
      } catch (writeError) {
        error = toError(writeError);
      }
    }
    reportOnce("export.failed", "warn", `traces could not be ${st.userClient === undefined ? "written to the local store" : "exported"}`, error);
    report.lost(traces.length, error);
    return undefined;
  }
  const experiment = getExperimentSpec();
  const destination = experiment === undefined ? { trackingUri: uri } : { trackingUri: uri, experiment };
  const store = localStore(undefined);
  const saved = traces.filter((t): t is Trace => t instanceof Trace);
  const where = { destination: uri, dir: store.dir, error };
  if (exiting) {
    try {
      store.saveUndeliveredSync(saved, { destination });
      report.kept(saved.length, where, { ending });
    } catch (writeError) {
      report.lost(saved.length, toError(writeError));
    }
    return undefined;
  }
  return store.saveUndelivered(saved, { destination }).then(
    () => report.kept(saved.length, where, { ending }),
    (writeError: unknown) => {
      reportOnce("local-store.save-undelivered", "error", `could not keep undelivered traces in ${store.dir}; they are lost`, writeError);
      report.lost(saved.length, toError(writeError));
    },
  );
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function deliveryReport(): DeliveryReport {
  const st = state();
  return (st.report ??= new DeliveryReport(() => ({ queueFull: st.processor?.getStats().dropped ?? 0, storeFull: st.local?.droppedPending ?? 0 })));
}

function processor(): BatchProcessor<Trace> {
  const st = state();
  if (st.processor === undefined) deliveryReport().armExitLine();
  st.processor ??= new BatchProcessor<Trace>(routingClient, {
    onDeliveryFailed: keepUndelivered,
    sizeOf: estimateTraceBytes,
    // Export requests belong to no trace: neither ours nor an OpenTelemetry instrumentation's.
    runOutsideTracing: (fn) => sdkState().context.exit(() => withOtelTracingSuppressed(fn)),
    ...st.options,
  });
  return st.processor;
}

/** Installs the export sink once per process (every copy of the package shares it). */
export function installExporter(): void {
  const st = state();
  if (st.removeSink !== undefined) return;
  st.removeSink = addTraceSink({ onTraceCompleted: (trace) => processor().enqueue(trace) });
  sdkState().traceReader = (traceId) => routingClient.getTrace?.(traceId) ?? Promise.resolve(undefined);
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
 * (default 30 s) are counted as `pending` and keep being retried. Call it before a serverless
 * handler returns or the process exits. Never rejects.
 *
 * @example
 * export const handler = async (event) => { const out = await pipe.run(event); await flushTraces(); return out; };
 */
export async function flushTraces(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
  const current = state().processor;
  if (current === undefined) return { exported: 0, failed: 0, dropped: 0, pending: 0 };
  const timeoutMs = options.timeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  const notice = setTimeout(() => {
    const { queued, inFlight } = current.getStats();
    if (queued + inFlight === 0) return;
    reportOnce(
      "export.flush-waiting",
      "warn",
      `flushTraces() is waiting for ${queued + inFlight} trace(s) to be delivered; it returns after up to ${formatSeconds(timeoutMs)} ` +
        "(pass { timeoutMs } to change that); traces still pending then keep being retried",
    );
  }, Math.min(FLUSH_NOTICE_AFTER_MS, timeoutMs));
  notice.unref();
  try {
    return await current.flush({ timeoutMs });
  } finally {
    clearTimeout(notice);
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Changes batching and retry settings (see the README's table); traces already queued are
 * flushed first with the old settings.
 *
 * @example
 * await configureExport({ scheduledDelayMs: 200, maxAttempts: 3 });
 */
export async function configureExport(options: BatchProcessorOptions<Trace>): Promise<void> {
  resolveBatchOptions(options);
  const st = state();
  const previous = st.processor;
  st.options = { ...options };
  st.processor = undefined;
  if (previous !== undefined) await previous.shutdown();
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
  const result = current === undefined ? { exported: 0, failed: 0, dropped: 0, pending: 0 } : await current.shutdown(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  const rest = st.rest;
  st.rest = undefined;
  const otlp = st.otlp;
  st.otlp = undefined;
  await Promise.all([rest?.shutdown(), st.userClient?.shutdown(), otlp?.client?.shutdown()]);
  return result;
}
