/**
 * A completed trace: `{ info, data }` as in MLflow, with `toJSON()` giving the shape of Python's
 * `Trace.to_dict()` and `Trace.fromJSON` reading it back.
 */
import { inspect, type InspectOptions } from "node:util";
import type { AssessmentJson } from "./assessment-json";
import type { JsonValue } from "./serialize";
import type { Span } from "./span";
import { parseTraceJson, type TraceInfoJson, type TraceJson, type TraceState } from "./trace-json";
import { spanFromJson, spanToJson } from "./wire-format";

export type { TraceInfoJson, TraceJson, TraceState };

/** Token counts of a span or a whole trace. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens?: number;
}

/** Cost in USD. */
export interface Cost {
  readonly inputCost: number;
  readonly outputCost: number;
  readonly totalCost: number;
}

/** Fields of a trace's info; see {@link Trace}. */
export interface TraceInfoFields {
  traceId: string;
  clientRequestId?: string | undefined;
  experimentId?: string | undefined;
  requestTime: number;
  executionDuration: number;
  state: TraceState;
  requestPreview?: string | undefined;
  responsePreview?: string | undefined;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  assessments?: AssessmentJson[] | undefined;
}

/** Request and response previews computed when first read. */
export type ComputedPreviews = { request?: string; response?: string };

/**
 * What a trace's info computes when first read (SDK-internal): its previews, and its late metadata
 * entries, added in order with `add` (`info.toJSON()` inside sees those added so far). One object
 * per trace: trace assembly passes one rather than two closures and their context.
 */
export interface LazyInfoParts {
  previews(): ComputedPreviews;
  lateMetadata(info: TraceInfo, add: (entries: Readonly<Record<string, string>>) => void): void;
}

/**
 * Metadata of a completed trace. Read-only: the SDK fills in `experimentId` once the trace is
 * logged, nothing else changes.
 *
 * @example
 * const info = getLastActiveTrace()?.info;
 * console.log(info?.traceId, info?.state, info?.executionDuration, info?.tokenUsage);
 */
export class TraceInfo {
  /** `tr-` + 32 lowercase hex. */
  readonly traceId: string;
  readonly clientRequestId: string | undefined;
  #experimentId: string | undefined;
  /** Start of the root span, ms since the epoch. */
  readonly requestTime: number;
  /** Root span duration in ms. */
  readonly executionDuration: number;
  readonly state: TraceState;
  /** Trace tags (`mlflow.traceName`, `mlflow.user`, those set with `updateCurrentTrace`). */
  readonly tags: Readonly<Record<string, string>>;
  /** Feedback and expectations, in MLflow's JSON shape (see `logFeedback`). */
  readonly assessments: AssessmentJson[];
  private readonly metadataValue: Record<string, string>;
  /**
   * Adds, with `add`, the entries computed on first read of `metadata` (size stats cost a pass over
   * every span; the root's JSON for `mlflow.traceInputs`/`Outputs` is written only when needed).
   */
  private lazy: LazyInfoParts | undefined;
  private metadataDue: boolean;
  private previewsDue: boolean;
  private requestPreviewValue: string | undefined;
  private responsePreviewValue: string | undefined;
  /** @internal Whether previews were given (set with `updateCurrentTrace` or read back) rather than computed. */
  readonly hasGivenPreviews: boolean;

  /** @internal The SDK builds trace infos; `lazy`: what is computed on first read (previews, late metadata). */
  constructor(fields: TraceInfoFields, lazy?: LazyInfoParts) {
    this.traceId = fields.traceId;
    this.clientRequestId = fields.clientRequestId;
    this.#experimentId = fields.experimentId;
    this.requestTime = fields.requestTime;
    this.executionDuration = fields.executionDuration;
    this.state = fields.state;
    this.tags = fields.tags;
    this.assessments = fields.assessments ?? [];
    this.metadataValue = fields.metadata;
    this.lazy = lazy;
    this.metadataDue = lazy !== undefined;
    this.previewsDue = lazy !== undefined;
    this.requestPreviewValue = fields.requestPreview;
    this.responsePreviewValue = fields.responsePreview;
    this.hasGivenPreviews = fields.requestPreview !== undefined || fields.responsePreview !== undefined;
  }

  /** The experiment the trace was (or will be) logged to, once known. */
  get experimentId(): string | undefined {
    return this.#experimentId;
  }

  /** @internal Set by the export clients once the experiment is resolved. */
  set experimentId(experimentId: string | undefined) {
    this.#experimentId = experimentId;
  }

  /** Trace metadata (`trace_metadata`), string to string. */
  get metadata(): Readonly<Record<string, string>> {
    if (this.metadataDue) {
      this.metadataDue = false;
      const parts = this.lazy as LazyInfoParts;
      if (!this.previewsDue) this.lazy = undefined;
      parts.lateMetadata(this, (entries) => void Object.assign(this.metadataValue, entries));
    }
    return this.metadataValue;
  }

  /** @internal The metadata without entries not yet computed (size stats, `mlflow.traceInputs`/`Outputs`): reading it costs nothing. */
  get metadataSoFar(): Readonly<Record<string, string>> {
    return this.metadataValue;
  }

  /** Alias of {@link traceId}, as MLflow's `request_id`. */
  get requestId(): string {
    return this.traceId;
  }

  /** Truncated JSON of the root span's inputs (computed on first read). */
  get requestPreview(): string | undefined {
    this.resolvePreviews();
    return this.requestPreviewValue;
  }

  /** Truncated JSON of the root span's outputs (computed on first read). */
  get responsePreview(): string | undefined {
    this.resolvePreviews();
    return this.responsePreviewValue;
  }

  /** Trace-level token usage (`mlflow.trace.tokenUsage`), summed without double counting. */
  get tokenUsage(): TokenUsage | undefined {
    const raw = parseJsonObject(this.metadata["mlflow.trace.tokenUsage"]);
    if (raw === undefined) return undefined;
    const usage: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = {
      inputTokens: Number(raw["input_tokens"] ?? 0),
      outputTokens: Number(raw["output_tokens"] ?? 0),
      totalTokens: Number(raw["total_tokens"] ?? 0),
    };
    if (raw["cache_read_input_tokens"] !== undefined) usage.cacheReadInputTokens = Number(raw["cache_read_input_tokens"]);
    return usage;
  }

  /** Trace-level cost in USD (`mlflow.trace.cost`), when the models' prices are known. */
  get cost(): Cost | undefined {
    const raw = parseJsonObject(this.metadata["mlflow.trace.cost"]);
    if (raw === undefined) return undefined;
    return { inputCost: Number(raw["input_cost"] ?? 0), outputCost: Number(raw["output_cost"] ?? 0), totalCost: Number(raw["total_cost"] ?? 0) };
  }

  private resolvePreviews(): void {
    if (!this.previewsDue) return;
    this.previewsDue = false;
    const parts = this.lazy as LazyInfoParts;
    if (!this.metadataDue) this.lazy = undefined;
    const computed = parts.previews();
    this.requestPreviewValue ??= computed.request;
    this.responsePreviewValue ??= computed.response;
  }

  toJSON(): TraceInfoJson {
    const json: TraceInfoJson = {
      trace_id: this.traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: this.experimentId ?? "0" } },
      request_time: new Date(this.requestTime).toISOString(),
      execution_duration_ms: this.executionDuration,
      state: this.state,
      trace_metadata: { ...this.metadata },
      tags: { ...this.tags },
    };
    if (this.clientRequestId !== undefined) json.client_request_id = this.clientRequestId;
    if (this.requestPreview !== undefined) json.request_preview = this.requestPreview;
    if (this.responsePreview !== undefined) json.response_preview = this.responsePreview;
    if (this.assessments.length > 0) json.assessments = this.assessments.map((a) => ({ ...a }));
    return json;
  }

  /** `console.log(info)`: the fields a user reads (the getters included), not the lazy bookkeeping behind them. */
  [inspect.custom](depth: number, options: InspectOptions, show: typeof inspect): string {
    const { traceId, state, experimentId, clientRequestId, requestTime, executionDuration, tokenUsage, cost, tags, metadata, assessments } = this;
    const fields = { experimentId, clientRequestId, requestTime, executionDuration, tokenUsage, cost, tags, metadata, assessments };
    return `TraceInfo ${traceId} ${state} ${show(fields, { ...options, depth: options.depth === null ? null : depth })}`;
  }
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** @internal What a lazy trace is assembled from: it knows the trace's id, once drawn. */
export interface TraceIdSource {
  /** Undefined while no id has been drawn: then nobody can be looking the trace up by id. */
  readonly knownTraceId: string | undefined;
  /** Approximate JSON bytes of the trace once assembled, without assembling it. */
  estimateBytes(): number;
}

/**
 * @internal The export side's per-trace slot. Declared on the class, so every trace has it from
 * construction: added later, it cost each trace a new shape and a property store.
 */
export const DELIVERY_SLOT: unique symbol = Symbol("mlflow-haystack.delivery");

/**
 * @internal Assembles a trace's info and spans from what it was completed with, handing them to
 * {@link Trace.assembled} (no wrapper object to return them in).
 */
export type TraceBuilder<S> = (source: S, trace: Trace) => void;

/**
 * A completed trace.
 *
 * @example
 * const trace = getLastActiveTrace();
 * console.log(trace?.info.traceId, trace?.info.tokenUsage, trace?.data.spans.map((s) => s.name));
 */
export class Trace {
  /** @internal Where the export side keeps a trace's delivery state (see `assessment-delivery.ts`). */
  declare [DELIVERY_SLOT]: unknown;
  private infoValue: TraceInfo | undefined;
  private dataValue: { readonly spans: readonly Span[] } | undefined;
  private build: TraceBuilder<never> | undefined;
  private source: unknown;

  constructor(info: TraceInfo, spans: readonly Span[]);
  /** @internal A trace that `build(source)` assembles on first read (see {@link Trace.lazy}). */
  constructor(info: undefined, spans: undefined, build: TraceBuilder<never>, source: unknown);
  constructor(info: TraceInfo | undefined, spans: readonly Span[] | undefined, build?: TraceBuilder<never>, source?: unknown) {
    this.infoValue = info;
    this.dataValue = info === undefined ? undefined : { spans: spans ?? [] };
    this.build = build;
    this.source = source;
    // Assigned here rather than declared as a class field: the same shape, with an ordinary store.
    this[DELIVERY_SLOT] = undefined;
  }

  /**
   * @internal A trace assembled on first read, so completing a trace on the caller's path costs
   * almost nothing; the exporter or the first reader pays for assembly.
   */
  static lazy<S extends TraceIdSource>(build: TraceBuilder<S>, source: S): Trace {
    return new Trace(undefined, undefined, build, source);
  }

  /** @internal The trace's id without assembling a lazy trace, or undefined when none was drawn yet. */
  static knownIdOf(trace: Trace): string | undefined {
    return trace.infoValue === undefined ? (trace.source as TraceIdSource).knownTraceId : trace.infoValue.traceId;
  }

  /** @internal The size estimate of a trace not yet assembled (see `estimateTraceBytes`), or undefined once it is. */
  static countedBytesOf(trace: Trace): number | undefined {
    return trace.infoValue === undefined ? (trace.source as TraceIdSource).estimateBytes() : undefined;
  }

  /** @internal What a {@link TraceBuilder} assembled for `trace`. */
  static assembled(trace: Trace, info: TraceInfo, spans: readonly Span[]): void {
    trace.infoValue = info;
    trace.dataValue = { spans };
  }

  private materialize(): void {
    const build = this.build as TraceBuilder<unknown>;
    build(this.source, this);
    this.build = undefined;
    this.source = undefined;
  }

  get info(): TraceInfo {
    if (this.infoValue === undefined) this.materialize();
    return this.infoValue as TraceInfo;
  }

  get data(): { readonly spans: readonly Span[] } {
    if (this.dataValue === undefined) this.materialize();
    return this.dataValue as { readonly spans: readonly Span[] };
  }

  /** The root span (the one without a parent in this trace). */
  get rootSpan(): Span | undefined {
    const ids = new Set(this.data.spans.map((s) => s.spanId));
    return this.data.spans.find((s) => s.parentId === null || !ids.has(s.parentId));
  }

  /** Python `Trace.to_dict()` shape; `JSON.stringify(trace)` gives `Trace.to_json()`. */
  toJSON(): TraceJson {
    return { info: this.info.toJSON(), data: { spans: this.data.spans.map(spanToJson) } };
  }

  /** @internal Use {@link traceFromJSON}. */
  static fromJSON(json: TraceJson | string): Trace {
    const parsed = parseTraceJson(json);
    const info = parsed.info;
    const experimentId = info.trace_location?.mlflow_experiment?.experiment_id;
    return new Trace(
      new TraceInfo({
        traceId: info.trace_id,
        clientRequestId: info.client_request_id,
        experimentId,
        requestTime: typeof info.request_time === "number" ? info.request_time : Date.parse(info.request_time),
        executionDuration: Number(info.execution_duration_ms ?? 0),
        state: info.state,
        requestPreview: info.request_preview,
        responsePreview: info.response_preview,
        tags: { ...(info.tags ?? {}) },
        metadata: { ...(info.trace_metadata ?? {}) },
        assessments: Array.isArray(info.assessments) ? info.assessments.map((a) => ({ ...a })) : [],
      }),
      (parsed.data?.spans ?? []).map(spanFromJson),
    );
  }

  [inspect.custom](): string {
    const spans = this.data.spans.map((s) => `${s.name}(${s.spanType}, ${s.status.code})`).join(", ");
    return `Trace ${this.info.traceId} [${this.info.state}] ${this.data.spans.length} span(s): ${spans}`;
  }
}

/**
 * Reads `Trace.to_json()` / `Trace.to_dict()` output (ours or MLflow's) back into a {@link Trace}.
 *
 * @example
 * const trace = traceFromJSON(await readFile("trace.json", "utf8"));
 * console.log(trace.info.traceId, trace.data.spans.length);
 */
export function traceFromJSON(json: TraceJson | string): Trace {
  return Trace.fromJSON(json);
}

export type { JsonValue };
