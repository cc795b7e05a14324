// The declarations use Node's types (AsyncLocalStorage, Buffer, NodeJS.ProcessEnv): a consumer with "types": [] still gets them.
/// <reference types="node" preserve="true" />
/**
 * `mlflow-haystack/export`: the trace clients (send traces somewhere yourself, or hand one to
 * `setTraceClient`), the types a client of your own implements, and the export diagnostics
 * counters. Where traces go by default is configured from the root entry (`setTrackingUri`,
 * `configureExport`); nothing here is needed for that.
 */
export type { TraceClient, ExportResult, ExportFailure, ExportOptions } from "./clients/trace-client";
export { MemoryClient } from "./clients/memory-client";
export { MlflowRestClient } from "./clients/mlflow-rest-client";
export type { MlflowRestClientOptions } from "./clients/mlflow-rest-client";
export { LocalStore } from "./clients/local-store/store";
export type { LocalStoreOptions } from "./clients/local-store/store";
export type { ResolvedLocalStoreOptions } from "./clients/local-store/location";
export type { SyncDestination } from "./clients/local-store/destinations";
export { OtlpClient, otlpClientFromEnv } from "./clients/otlp-client";
export type { OtlpClientOptions, OtlpProtocol, ResolvedOtlpOptions } from "./clients/otlp-config";
export type { OtlpAttributeValues } from "./clients/otlp-spans";
export { FanOutClient } from "./clients/fan-out-client";
export { getDiagnosticsCounts } from "../internal/diagnostics";
