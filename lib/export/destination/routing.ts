/**
 * Where each batch goes, decided on every call by the configuration in force: a client set with
 * `setTraceClient`, else the MLflow server of the tracking URI (together with the OTLP collector of
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, when set), else that collector alone, else the local store.
 */
import { reportOnce } from "../../internal/diagnostics";
import type { Trace } from "../../tracing/trace";
import { LocalStore } from "../clients/local-store/store";
import { defaultLocalStoreDir, parseLocalStoreUri } from "../clients/local-store/location";
import { MlflowRestClient } from "../clients/mlflow-rest-client";
import type { ExportOptions, ExportResult, TraceClient } from "../clients/trace-client";
import { FanOutClient } from "../clients/fan-out-client";
import { OtlpClient, otlpClientFromEnv } from "../clients/otlp-client";
import { getTrackingUri } from "./config";
import { isLocalStoreUri, isServerUri } from "./server-uri";

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
      reportOnce("export.otlp-env", "warn", "OTEL_EXPORTER_OTLP_TRACES_* is set to something this SDK cannot send to; traces go to the other destination only", error);
    }
    clients.otlp = { endpoint, client, fanOut: undefined };
  }
  return clients.otlp.client === undefined ? undefined : clients.otlp;
}

/**
 * The client for the configuration in force now: `setTraceClient`; else the tracking URI's MLflow
 * server (together with the OTLP collector of `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, when set); else
 * that collector alone; else the local store.
 */
function currentClient(clients: DestinationClients): { client: TraceClient; remoteUri: string | undefined } {
  if (clients.userClient !== undefined) return { client: clients.userClient, remoteUri: undefined };
  const uri = getTrackingUri();
  const otlp = otlpFromEnv(clients);
  if (!isServerUri(uri)) {
    return { client: otlp?.client ?? localStoreFor(clients, isLocalStoreUri(uri) ? uri : undefined), remoteUri: undefined };
  }
  const rest = (clients.rest ??= new MlflowRestClient());
  if (otlp === undefined) return { client: rest, remoteUri: uri };
  return { client: (otlp.fanOut ??= new FanOutClient([rest, otlp.client as OtlpClient])), remoteUri: uri };
}

/**
 * One {@link TraceClient} that sends each batch where {@link currentClient} says at the time of the
 * call, so changing the tracking URI or the client needs no new processor.
 *
 * @example
 * const processor = new BatchProcessor(routingClient(() => state()));
 */
export function routingClient(clients: () => DestinationClients): TraceClient {
  return {
    export(traces: readonly Trace[], options: ExportOptions): Promise<ExportResult> {
      return currentClient(clients()).client.export(traces, options);
    },
    async getTrace(traceId: string): Promise<Trace | undefined> {
      const { client } = currentClient(clients());
      return client.getTrace === undefined ? undefined : client.getTrace(traceId);
    },
    // Clients outlive any one processor (configureExport replaces it); shutdownExport closes them.
    async shutdown(): Promise<void> {},
  };
}
