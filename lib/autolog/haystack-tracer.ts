/**
 * The MLflow tracer plugged into the pipeline's tracing hook: a CHAIN span per pipeline run and a
 * span per component run, with component metadata, token usage, model, cost and cache hits.
 */
import type { ComponentRunEvent, PipelineRunEvent, PipelineTracer } from "../haystack/tracing-hook";
import {
  openIntegrationSpan,
  runInSpanContext,
  snapshot,
  SpanAttributeKey,
  SpanType,
  traceCall,
  tracingEnabled,
  type JsonValue,
  type LiveSpan,
} from "../tracing/integration";
import { costOf } from "./model-pricing";
import { inferComponentSpanType } from "./span-type-inference";
import { modelFromOutputs, usageFromOutputs } from "./token-usage";
import { onStreamingChunk, rememberAgentComponentSpan, traceAgent, traceAgentLlm, traceAgentStep, traceToolCall } from "./agent-tracer";

/** Name of a pipeline span without `metadata.name`, as in MLflow's Python integration. */
export const DEFAULT_PIPELINE_SPAN_NAME = "haystack.pipeline.run";

function providerOf(event: ComponentRunEvent): string | undefined {
  if (!/openai/i.test(event.className)) return undefined;
  const params = event.initParameters;
  const base = params["apiBaseUrl"] ?? params["api_base_url"] ?? process.env["OPENAI_BASE_URL"];
  return typeof base !== "string" || base === "" || base.includes("api.openai.com") ? "openai" : "openai-compatible";
}

function annotateOutputs(span: LiveSpan, event: ComponentRunEvent, outputs: unknown): void {
  if (span.spanType === SpanType.LLM || span.spanType === SpanType.CHAT_MODEL) {
    const usage = usageFromOutputs(outputs);
    const model = modelFromOutputs(outputs, event.initParameters["model"]);
    if (model !== undefined) span.setAttribute(SpanAttributeKey.MODEL, model);
    const provider = providerOf(event);
    if (provider !== undefined) span.setAttribute(SpanAttributeKey.MODEL_PROVIDER, provider);
    if (usage !== undefined) {
      span.setAttribute(SpanAttributeKey.CHAT_USAGE, usage);
      const cost = model === undefined ? undefined : costOf(model, usage);
      if (cost !== undefined) span.setAttribute(SpanAttributeKey.LLM_COST, cost);
    }
  }
  const out = outputs as { hits?: unknown; misses?: unknown } | undefined;
  if (out !== undefined && Array.isArray(out.hits) && Array.isArray(out.misses)) {
    const hits = out.hits.length;
    const misses = out.misses.length;
    span.setAttributes({
      "haystack.cache.hits": hits,
      "haystack.cache.misses": misses,
      "haystack.cache.hit_ratio": hits + misses === 0 ? 0 : hits / (hits + misses),
    });
  }
}

interface StaticAttributes {
  readonly initParameters: Record<string, unknown>;
  readonly outputSpec: object;
  readonly name: string;
  readonly spanType: string;
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/**
 * The component attributes that only change with the pipeline's wiring, snapshotted once per
 * socket description (the pipeline rebuilds those objects whenever its graph changes).
 */
const componentCache = new WeakMap<object, StaticAttributes>();

function componentStatics(event: ComponentRunEvent): StaticAttributes {
  const cached = componentCache.get(event.inputSpec);
  if (cached !== undefined && cached.initParameters === event.initParameters && cached.outputSpec === event.outputSpec && cached.name === event.name) {
    return cached;
  }
  const attributes = snapshot({
    "haystack.component.name": event.name,
    "haystack.component.type": event.className,
    // Secrets are masked by key on the way (`toJsonSafe`), as in every recorded value.
    "haystack.component.init_parameters": event.initParameters,
    "haystack.component.input_spec": event.inputSpec,
    "haystack.component.output_spec": event.outputSpec,
  }) as Record<string, JsonValue>;
  const entry: StaticAttributes = {
    initParameters: event.initParameters,
    outputSpec: event.outputSpec,
    name: event.name,
    spanType: inferComponentSpanType(event.className, event.name, event.spanType),
    attributes,
  };
  componentCache.set(event.inputSpec, entry);
  return entry;
}

/** The pipeline's result as its span's outputs, as `startSpan` records a returned value. */
function recordUnlessSet(span: LiveSpan, value: unknown): void {
  if (value !== undefined && span.outputs === undefined) span.setOutputs(value);
}

/** Marks the tracer, so every copy of the package recognises the one another copy installed. */
const MLFLOW_TRACER = Symbol.for("mlflow-haystack.v0.pipeline-tracer");

/** Whether `tracer` is the MLflow tracer of any copy of this package. */
export function isMlflowTracer(tracer: PipelineTracer | undefined): boolean {
  return tracer !== undefined && (tracer as unknown as Record<symbol, unknown>)[MLFLOW_TRACER] === true;
}

/** The tracer `mlflow.haystack.autolog()` installs. */
export const mlflowPipelineTracer: PipelineTracer & { readonly [MLFLOW_TRACER]: true } = {
  [MLFLOW_TRACER]: true,
  tracePipeline<T>(event: PipelineRunEvent, run: () => Promise<T>): Promise<T> {
    const spec = {
      name: event.name ?? DEFAULT_PIPELINE_SPAN_NAME,
      spanType: SpanType.CHAIN,
      inputs: event.inputs,
      attributes: {
        "haystack.pipeline.metadata": event.metadata,
        "haystack.pipeline.max_runs_per_component": event.maxRunsPerComponent,
        "haystack.pipeline.execution_mode": event.executionMode,
      },
    };
    return traceCall(spec, run, { onResult: recordUnlessSet });
  },

  traceComponent<T>(event: ComponentRunEvent, run: () => Promise<T>): Promise<T> {
    if (!tracingEnabled()) return run();
    const component = componentStatics(event);
    const span = openIntegrationSpan({
      name: event.name,
      spanType: component.spanType,
      inputs: event.inputs,
      snapshotAttributes: { shared: component.attributes, extra: { "haystack.component.visits": event.visits } },
    });
    if (span === undefined) return run();
    if (component.spanType === SpanType.AGENT) rememberAgentComponentSpan(event.instance, span);
    return runInSpanContext(span, run, (s, outputs) => {
      s.setOutputs(outputs);
      annotateOutputs(s, event, outputs);
    });
  },

  traceAgent,
  traceAgentStep,
  traceAgentLlm,
  traceToolCall,
  onStreamingChunk,
};
