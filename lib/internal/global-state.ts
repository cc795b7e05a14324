/**
 * The tracing core's process-wide state, in the `tracing` slot of the global registry, so two
 * copies of the package (an ESM and a CJS load, or two installed copies that can read the same
 * registry) share one context, one completed-trace buffer and one exporter.
 */
import { envFlag } from "./env-flag";
import { AsyncLocalStorage } from "node:async_hooks";
import { globalSlot } from "./global-registry";
import type { DiagnosticsLogger } from "./diagnostics";
import type { LiveSpan } from "../tracing/live-span";
import type { ContextBridge } from "../tracing/context-bridge";
import type { ExternalParentResolver } from "../tracing/span-factory";
import type { Trace } from "../tracing/trace";
import type { TraceContextFrame } from "../tracing/tracing-context";
import type { TracePolicy } from "../tracing/trace-policy";

/** Receives every completed trace; the export layer installs one. Must not throw or block. */
export interface TraceSink {
  onTraceCompleted(trace: Trace): void;
}

/** Serialization limits applied when inputs, outputs and attributes are snapshotted. */
export interface SerializationLimits {
  maxStringLength: number;
  maxDepth: number;
  maxCollectionItems: number;
  /** Serialized size kept for one value, in chars (absent in state made by an older copy: the default applies). */
  maxValueLength?: number;
  /** Serialized size kept for one span's inputs, outputs, attributes and events together, in chars (same). */
  maxSpanLength?: number;
}

export interface SdkState {
  readonly context: AsyncLocalStorage<LiveSpan>;
  tracingEnabled: boolean;
  readonly diagnostics: { logger: DiagnosticsLogger | undefined; silent: boolean; counts: Map<string, number> };
  /** A ring of the newest `capacity` completed traces: slot `next` is written next; `held` are kept. */
  readonly completed: { traces: (Trace | undefined)[]; capacity: number; next: number; held: number };
  lastTraceByContext: WeakMap<object, Trace> | undefined;
  sinks: TraceSink[];
  /** Reads a trace from the configured destination when it is no longer in memory. */
  traceReader: ((traceId: string) => Promise<Trace | undefined>) | undefined;
  limits: SerializationLimits;
  /** Lets another context system (OpenTelemetry) see our spans while their code runs. */
  contextBridge: ContextBridge | undefined;
  /** Asked for a parent outside this SDK when a span has no active parent. */
  externalParentResolver: ExternalParentResolver | undefined;
  /** How long a trace whose root ended waits for still-open children, in ms. */
  lateSpanWaitMs: number;
  /** The `tracingContext()` scopes; created on first use (absent in older copies' state). */
  traceContext?: AsyncLocalStorage<TraceContextFrame>;
  /** Sampling, span processors, content and timeout settings; read from the environment on first use. */
  policy?: TracePolicy;
  /** The root of a dropped trace while its function runs synchronously (see `context-bridge.ts`). */
  syncDropped?: LiveSpan | undefined;
  /** The async id `syncDropped` runs under. */
  syncDroppedAsyncId?: number | undefined;
}

function createState(): SdkState {
  return {
    context: new AsyncLocalStorage<LiveSpan>(),
    // An unrecognised value keeps tracing on; `tracePolicy()` warns about it.
    tracingEnabled: envFlag("MLFLOW_TRACING_ENABLED") !== false,
    diagnostics: {
      logger: undefined,
      silent: false,
      counts: new Map(),
    },
    completed: { traces: new Array<Trace | undefined>(100), capacity: 100, next: 0, held: 0 },
    lastTraceByContext: undefined,
    sinks: [],
    traceReader: undefined,
    contextBridge: undefined,
    externalParentResolver: undefined,
    limits: { maxStringLength: 1_000_000, maxDepth: 20, maxCollectionItems: 10_000, maxValueLength: 4_000_000, maxSpanLength: 16_000_000 },
    lateSpanWaitMs: 5_000,
  };
}

let cached: SdkState | undefined;

/** The shared state, created on first use. */
export function sdkState(): SdkState {
  if (cached !== undefined) return cached;
  cached = globalSlot("tracing", createState);
  return cached;
}
