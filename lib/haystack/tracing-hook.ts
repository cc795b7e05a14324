/**
 * The pipeline's one tracing seam. The framework knows no tracing library: a tracer installed
 * with {@link setPipelineTracer} wraps each pipeline run and each component run. With no tracer
 * installed the pipeline builds no event objects at all.
 */

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
}

const KEY = Symbol.for("mlflow-haystack.haystack.tracer.v0");

type Holder = Record<symbol, PipelineTracer | undefined>;

/**
 * Installs the tracer every pipeline uses; `undefined` restores the default (no tracing).
 * Stored on `globalThis`, so two copies of the package share it.
 *
 * @example
 * setPipelineTracer(myTracer); // ...later: setPipelineTracer(undefined);
 */
export function setPipelineTracer(tracer: PipelineTracer | undefined): void {
  (globalThis as unknown as Holder)[KEY] = tracer;
}

/**
 * The installed tracer, or `undefined` when none is.
 *
 * @example
 * if (getPipelineTracer() === undefined) setPipelineTracer(myTracer);
 */
export function getPipelineTracer(): PipelineTracer | undefined {
  return (globalThis as unknown as Holder)[KEY];
}
