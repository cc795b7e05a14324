// The declarations use Node's types (AsyncLocalStorage, Buffer, NodeJS.ProcessEnv): a consumer with "types": [] still gets them.
/// <reference types="node" preserve="true" />
/**
 * mlflow-haystack: MLflow Tracing for Haystack-style pipelines on Node.js.
 */
import { installExporter } from "./export/exporter";

installExporter();

export { startSpan } from "./tracing/start-span";
export type { StartSpanOptions } from "./tracing/start-span";
export { traced } from "./tracing/traced";
export type { TracedOptions, TracedMethodDecorator, TracedMethodContext, TracedMethodDescriptor, TraceableFunction } from "./tracing/traced";
export type { LiveSpan, EventAttributes } from "./tracing/live-span";
export type { LiveSpanJson } from "./tracing/live-span-view";
export { SpanType } from "./tracing/span-type";
export type { SpanTypeName } from "./tracing/span-type";
export { SpanAttributeKey } from "./tracing/span";
export type { Span, SpanEvent, SpanStatus, SpanStatusCode } from "./tracing/span";
export { traceFromJSON } from "./tracing/trace";
export type { Trace, TraceInfo } from "./tracing/trace";
export type { TraceJson, TraceInfoJson, TokenUsage, Cost, TraceState } from "./tracing/trace";
export type { SpanJson } from "./tracing/wire-format";
export type { JsonValue } from "./tracing/serialize";
export { getLastActiveTrace, getLastActiveTraceId, getTrace, getCurrentActiveSpan, updateCurrentTrace, tracing } from "./tracing/fluent";
export type { UpdateTraceOptions } from "./tracing/fluent";
export { configureTracing } from "./tracing/configure";
export { logFeedback, logExpectation, overrideFeedback } from "./assessments/log";
export type { LogFeedbackOptions, LogExpectationOptions, OverrideFeedbackOptions } from "./assessments/log";
export { getAssessment, updateAssessment, deleteAssessment } from "./assessments/manage";
export type { UpdateAssessmentOptions } from "./assessments/manage";
export type { Assessment, AssessmentSource, AssessmentSourceType, AssessmentErrorInfo } from "./assessments/assessment";
export type { AssessmentSourceInput, AssessmentErrorInput } from "./assessments/build";
export type { AssessmentJson } from "./tracing/assessment-json";
export { InvalidAssessmentError, AssessmentNotFoundError } from "./export/errors";
export type { TracingConfig } from "./tracing/configure";
export type { SamplingConfig } from "./tracing/policy-config";
export type { SpanProcessor } from "./tracing/trace-policy";
export { tracingContext } from "./tracing/tracing-context";
export type { TracingContextOptions } from "./tracing/tracing-context";
export { setDiagnosticsLogger } from "./internal/diagnostics";
export type { DiagnosticsLogger, DiagnosticsLevel } from "./internal/diagnostics";
import { autolog as haystackAutolog, isAutologEnabled as isHaystackAutologEnabled } from "./autolog/haystack";

/**
 * The Haystack integration.
 *
 * @example
 * mlflow.haystack.autolog();
 */
export const haystack = { autolog: haystackAutolog, isAutologEnabled: isHaystackAutologEnabled } as const;
export type { HaystackAutologOptions } from "./autolog/haystack";
import { isOpenAIAutologEnabled, openaiAutolog, traceOpenAI } from "./autolog/openai/index";

/**
 * The `openai` client integration: `trace(client)` traces one client's calls, `autolog()` is the
 * switch for those clients and the SDK's OpenAI generators.
 *
 * @example
 * const client = mlflow.openai.trace(new OpenAI());
 */
export const openai = { trace: traceOpenAI, autolog: openaiAutolog, isAutologEnabled: isOpenAIAutologEnabled } as const;
export { traceOpenAI };
export type { OpenAIAutologOptions, TraceOpenAIOptions } from "./autolog/openai/index";
export { autolog } from "./autolog/index";
export type { AutologOptions } from "./autolog/index";
export { setModelPricing, getModelPricing, BUNDLED_PRICES_DATE } from "./autolog/model-pricing";
export type { ModelPrice } from "./autolog/model-pricing";
export { setTrackingUri, getTrackingUri, setExperiment } from "./export/destination/config";
export type { Experiment, SetExperimentOptions } from "./export/destination/config";
export { getTraceUrl } from "./export/destination/trace-url";
export type { TraceUrlOptions } from "./export/destination/trace-url";
export { flushTraces, setTraceClient, configureExport, shutdownExport } from "./export/exporter";
export type { FlushResult } from "./export/batch/flush-waiters";
export type { ExportSettings } from "./export/exporter";
export { MlflowHaystackError, ConfigError, ExportError, MlflowApiError } from "./export/errors";
export type { ExportErrorDetails } from "./export/errors";
export { searchTraces, iterateTraces } from "./search/search-traces";
export type { SearchTracesOptions, SearchTracesResult } from "./search/search-options";
export { InvalidFilterError } from "./search/errors";
export { enableOtelBridge, disableOtelBridge, isOtelBridgeEnabled } from "./otel/bridge";
export type { OtelBridgeOptions } from "./otel/bridge";
export { injectTraceContext, continueTrace } from "./otel/propagation";
export type { HeaderTarget } from "./otel/propagation";
export type { HeaderSource } from "./otel/traceparent";
// Trace clients, their types and the diagnostics counters: `mlflow-haystack/export`.
