/**
 * The pipeline's one tracing seam. The framework knows no tracing library: a tracer installed
 * with {@link setPipelineTracer} wraps each pipeline run and each component run. With no tracer
 * installed the pipeline builds no event objects at all.
 */
import { globalSlot } from "../internal/global-registry";

/** One socket of a component in a pipeline; peers are written `"component.socket"`. */
export interface SocketDescription {
  name: string;
  type: string;
  mandatory: boolean;
  default?: unknown;
  variadic?: "lazy" | "greedy";
  senders: string[];
  receivers?: string[];
}

/** Describes a pipeline run as it starts. */
export interface PipelineRunEvent {
  pipeline: object;
  /** `metadata.name` when it is a string. */
  name: string | undefined;
  metadata: Record<string, unknown>;
  maxRunsPerComponent: number;
  /** The run's data as the caller gave it. */
  inputs: Record<string, unknown>;
  executionMode: "sync" | "async";
}

/** Describes one component visit as it starts. */
export interface ComponentRunEvent {
  name: string;
  className: string;
  type: string;
  spanType: string | undefined;
  instance: object;
  initParameters: Record<string, unknown>;
  inputSpec: Record<string, SocketDescription>;
  outputSpec: Record<string, SocketDescription>;
  /** Visits of this component in this run, including this one (1 on the first run). */
  visits: number;
  inputs: Record<string, unknown>;
}

/** A tool as an agent offers it to the model. */
export interface ToolDescription {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Describes an agent run (`Agent` or `LLM`) as it starts. */
export interface AgentRunEvent {
  /** The agent component instance (the same object a pipeline's `ComponentRunEvent.instance` holds). */
  instance: object;
  className: string;
  maxAgentSteps: number;
  tools: ToolDescription[];
  exitConditions: string[];
  stateSchema: Record<string, unknown>;
  /** The run's inputs: `messages` (ChatMessage objects) and any state keys given. */
  inputs: Record<string, unknown>;
}

/** One step of an agent: an LLM call and the tool calls it asked for. */
export interface AgentStepEvent {
  instance: object;
  /** 1 for the first step. */
  step: number;
}

/** The LLM call of an agent step. */
export interface AgentLlmEvent {
  instance: object;
  step: number;
  generator: object;
  generatorClassName: string;
  /** The generator's init parameters (model, apiBaseUrl, …), as plain data. */
  generatorInitParameters: Record<string, unknown>;
  /** The conversation sent (ChatMessage objects; each has `toOpenAIDictFormat()`). */
  messages: readonly object[];
  tools: ToolDescription[];
  /** Whether the generator streams (its chunks arrive through {@link PipelineTracer.onStreamingChunk}). */
  streaming: boolean;
}

/** One tool call of an agent step. */
export interface ToolCallEvent {
  instance: object;
  step: number;
  toolName: string;
  description: string;
  /** The model's id for the call, when it gave one. */
  callId: string | null;
  arguments: Record<string, unknown>;
}

/**
 * Wraps pipeline and component runs. Each method must call `run` exactly once and return or throw
 * what it does; components of a pipeline run execute inside `tracePipeline`'s callback, so an
 * AsyncLocalStorage entered there is visible to `traceComponent`.
 *
 * @example
 * setPipelineTracer({
 *   tracePipeline: (event, run) => run(),
 *   traceComponent: async (event, run) => { const t = Date.now(); try { return await run(); } finally { log(event.name, Date.now() - t); } },
 * });
 */
export interface PipelineTracer {
  tracePipeline<T>(event: PipelineRunEvent, run: () => Promise<T>): Promise<T>;
  traceComponent<T>(event: ComponentRunEvent, run: () => Promise<T>): Promise<T>;
  /** Wraps an agent run; its result is the agent's outputs (`messages`, `step_count`, …). Optional. */
  traceAgent?<T>(event: AgentRunEvent, run: () => Promise<T>): Promise<T>;
  /** Wraps one agent step (runs inside `traceAgent`). Optional. */
  traceAgentStep?<T>(event: AgentStepEvent, run: () => Promise<T>): Promise<T>;
  /** Wraps a step's LLM call; its result is the generator's outputs (`replies`). Optional. */
  traceAgentLlm?<T>(event: AgentLlmEvent, run: () => Promise<T>): Promise<T>;
  /** Wraps one tool call; a failed call rejects with the tool's error. Optional. */
  traceToolCall?<T>(event: ToolCallEvent, run: () => Promise<T>): Promise<T>;
  /** Sees each chunk streamed during `traceAgentLlm` (called in its async context). Optional. */
  onStreamingChunk?(chunk: object): void;
}

/** The installed tracer, in the global registry's `pipelineTracer` slot. */
let slot: { tracer: PipelineTracer | undefined } | undefined;
function installed(): { tracer: PipelineTracer | undefined } {
  return (slot ??= globalSlot("pipelineTracer", (): { tracer: PipelineTracer | undefined } => ({ tracer: undefined })));
}

/**
 * Installs the tracer every pipeline uses; `undefined` restores the default (no tracing).
 * Stored in the global registry, so two copies of the package share it.
 *
 * @example
 * setPipelineTracer(myTracer); // ...later: setPipelineTracer(undefined);
 */
export function setPipelineTracer(tracer: PipelineTracer | undefined): void {
  installed().tracer = tracer;
}

/**
 * The installed tracer, or `undefined` when none is.
 *
 * @example
 * if (getPipelineTracer() === undefined) setPipelineTracer(myTracer);
 */
export function getPipelineTracer(): PipelineTracer | undefined {
  return installed().tracer;
}
