/**
 * Where each batch goes, decided on every call by the configuration in force: a client set with
 * `setTraceClient`, else the MLflow server of the tracking URI (together with the OTLP collector of
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, when set) behind the local-store fallback, else that
 * collector alone, else the local store. Traces the batch processor gives up on go where the
 * configuration in force says when it gives up.
 */
import { reportOnce } from "../../internal/diagnostics";
import { redactUrl } from "../../internal/redaction";
import { isProcessExiting } from "../../internal/exit-flush";
import type { Trace } from "../../tracing/trace";
import { LocalStore } from "../clients/local-store/store";
import { defaultLocalStoreDir, parseLocalStoreUri } from "../clients/local-store/location";
import { MlflowRestClient } from "../clients/mlflow-rest-client";
import type { ExportOptions, ExportResult, TraceClient } from "../clients/trace-client";
import { FanOutClient } from "../clients/fan-out-client";
import { type OtlpClient, otlpClientFromEnv } from "../clients/otlp-client";
import { FallbackClient, keepInLocalStore, type FallbackOptions, type FallbackReport } from "../clients/fallback-client";
import { keepFromCollector } from "../clients/collector-fallback";
import { toError } from "../../internal/to-error";
import { getExperimentSpec, getTrackingUri } from "./config";
import { isLocalStoreUri, isServerUri } from "./server-uri";
import { beginDelivery, endDelivery } from "./assessment-delivery";
import { storeForDestination, type TraceDestination } from "./assessment-stores";

/** The clients routing creates once and reuses; they live in the exporter's process-wide state. */
export interface DestinationClients {
  /** The OTLP client (and its fan-out with the MLflow client) for `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  otlp: { endpoint: string; client: OtlpClient | undefined; fanOut: FanOutClient | undefined } | undefined;
  userClient: TraceClient | undefined;
  rest: MlflowRestClient | undefined;
  local: LocalStore | undefined;
}

/** The local store of `uri` (`mlflow-haystack-local:<dir>`), else of the default directory. */
export function localStoreFor(clients: DestinationClients, uri: string | undefined): LocalStore {
  const dir = (uri === undefined ? undefined : parseLocalStoreUri(uri)) ?? defaultLocalStoreDir();
  if (clients.local === undefined || clients.local.dir !== dir) clients.local = new LocalStore({ dir });
  return clients.local;
}

/** The OTLP collector of `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, if set. */
function otlpFromEnv(clients: DestinationClients): DestinationClients["otlp"] {
  const endpoint = process.env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]?.trim();
  if (endpoint === undefined || endpoint === "") return undefined;
  if (clients.otlp?.endpoint !== endpoint) {
    let client: OtlpClient | undefined;
    try {
      client = otlpClientFromEnv();
    } catch (error) {
      // A collector we cannot serve (say OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc) must not cost the
      // other destination its traces.
      reportOnce(
        "export.otlp-env",
        "warn",
        "OTEL_EXPORTER_OTLP_TRACES_* is set to something this SDK cannot send to; traces go to the other destination only",
        error,
      );
    }
    clients.otlp = { endpoint, client, fanOut: undefined };
  }
  return clients.otlp.client === undefined ? undefined : clients.otlp;
}

/** Where the traces a server `uri` did not take are marked pending: the URI and experiment in force. */
function fallbackOptions(uri: string, report: FallbackReport): FallbackOptions {
  const experiment = getExperimentSpec();
  const destination = experiment === undefined ? { trackingUri: uri } : { trackingUri: uri, experiment };
  return { destination, report };
}

const NO_FAILURES: ReadonlySet<string> = new Set();

/** Where traces go now, for assessments: the server of the tracking URI, the local store, or another client. */
export function currentDestination(clients: DestinationClients): TraceDestination {
  return destinationOf(currentClient(clients, undefined));
}

function destinationOf({ client, remoteUri }: { client: TraceClient; remoteUri: string | undefined }): TraceDestination {
  if (remoteUri !== undefined) return { kind: "server", uri: remoteUri };
  return client instanceof LocalStore ? { kind: "local", store: client } : { kind: "client" };
}

/**
 * The client for the configuration in force now: `setTraceClient`; else the tracking URI's MLflow
 * server (together with the OTLP collector of `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, when set) with
 * the local-store fallback; else that collector alone; else the local store.
 */
function currentClient(clients: DestinationClients, report: FallbackReport | undefined): { client: TraceClient; remoteUri: string | undefined } {
  if (clients.userClient !== undefined) return { client: clients.userClient, remoteUri: undefined };
  const uri = getTrackingUri();
  const otlp = otlpFromEnv(clients);
  if (!isServerUri(uri)) return { client: otlp?.client ?? localStoreFor(clients, isLocalStoreUri(uri) ? uri : undefined), remoteUri: undefined };
  const rest = (clients.rest ??= new MlflowRestClient());
  const primary = otlp === undefined ? rest : (otlp.fanOut ??= new FanOutClient([rest, otlp.client as OtlpClient]));
  // Without a report (asking where traces go) the primary stands in: only the URI is read.
  const client = report === undefined ? primary : new FallbackClient(primary, () => localStoreFor(clients, undefined), fallbackOptions(uri, report));
  return { client, remoteUri: uri };
}

/**
 * Keeps traces the batch processor gave up on: for a server, the fallback client keeps them in the
 * local store for `traces sync`; for an OTLP collector alone, the local store keeps them (readable,
 * not re-sendable to a collector: see `collector-fallback.ts`); for the local store itself at exit,
 * a synchronous write; otherwise they are reported lost. The report tells the user, once during
 * the run and in one line at exit.
 */
function keepUndelivered(clients: DestinationClients, report: FallbackReport, traces: readonly Trace[], error: Error): Promise<void> | undefined {
  const uri = getTrackingUri();
  if (clients.userClient === undefined) {
    if (isServerUri(uri)) return keepInLocalStore(localStoreFor(clients, undefined), traces, error, fallbackOptions(uri, report));
    const store = localStoreFor(clients, isLocalStoreUri(uri) ? uri : undefined);
    // Without a server URI, the collector of OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is where they were going (see currentClient).
    const collector = otlpFromEnv(clients)?.endpoint;
    if (collector !== undefined) return keepFromCollector(store, traces, error, { collector: redactUrl(collector), report });
    if (isProcessExiting()) {
      try {
        store.exportSync(traces);
        return undefined;
      } catch (writeError) {
        error = toError(writeError);
      }
    }
  }
  reportOnce("export.failed", "warn", `traces could not be ${clients.userClient === undefined ? "written to the local store" : "exported"}`, error);
  report.lost(traces.length, error);
  return undefined;
}

/**
 * One client that sends each batch where {@link currentClient} says at the time of the call, so
 * changing the tracking URI or the client needs no new processor, and keeps what the processor
 * gives up on (`keepUndelivered`, which the batch processor calls).
 *
 * @example
 * const processor = new BatchProcessor(routingClient(() => state(), () => report));
 */
export function routingClient(clients: () => DestinationClients, report: () => FallbackReport): TraceClient & Pick<FallbackClient, "keepUndelivered"> {
  return {
    async export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
      const current = currentClient(clients(), report());
      const destination = destinationOf(current);
      const delivery = beginDelivery(traces);
      const result = await current.client.export(traces, options);
      // Assessments logged while the batch was on its way follow their trace, before the batch counts as done.
      const failed = result.failures.length === 0 ? NO_FAILURES : new Set(result.failures.map((f) => f.traceId));
      await endDelivery(delivery, traces, failed, (trace) => storeForDestination(destination, trace));
      return result;
    },
    async getTrace(traceId: string): Promise<Trace | undefined> {
      const { client } = currentClient(clients(), report());
      return client.getTrace === undefined ? undefined : client.getTrace(traceId);
    },
    // Clients outlive any one processor (configureExport replaces it); shutdownExport closes them.
    async shutdown(): Promise<void> {},
    keepUndelivered: (traces, error) => keepUndelivered(clients(), report(), traces, error),
  };
}
