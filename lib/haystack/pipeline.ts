/**
 * Running a pipeline: `run` (sequential, Haystack 3.4 order) and `runAsync` (independent
 * components concurrently). Both validate the data before anything runs, call every component's
 * `warmUp()`, and report to the installed tracer, if any.
 */
import { describeValue } from "../internal/describe-value";
import { reportOnce } from "../internal/diagnostics";
import { PipelineError, PipelineValidationError } from "./errors";
import { graphOf, PipelineBase, type PipelineOptions } from "./pipeline-base";
import { callTraced } from "./component-runner";
import { runConcurrent, runSequential, type PipelineOutputs, type RunContext } from "./run-loop";
import { prepareRunInputs } from "./run-input";
import { getPipelineTracer, type PipelineRunEvent } from "./tracing-hook";
import type { PipelineGraph } from "./graph";
import { mermaidText } from "./draw";
import { checkPipelineDict, componentFromDict, graphToDict, type PipelineDict } from "./serialization";
import { SerializationError } from "./errors";

export type { PipelineOutputs } from "./run-loop";
export type { PipelineDict } from "./serialization";

/**
 * Options of {@link Pipeline.run}.
 *
 * @example
 * await pipe.run({ query: "q" }, { includeOutputsFrom: ["retriever"] });
 */
export interface RunOptions {
  /** Components whose every output is returned (the last visit's, for loops), consumed or not. */
  includeOutputsFrom?: Iterable<string>;
}

/**
 * Options of {@link Pipeline.runAsync}.
 *
 * @example
 * await pipe.runAsync(data, { concurrencyLimit: 2 });
 */
export interface AsyncRunOptions extends RunOptions {
  /** How many components may run at once (default 4, like Haystack). */
  concurrencyLimit?: number;
}

/** Calls every `warmUp()`; returns a promise only when some component has one (the common case costs no await). */
function warmUp(graph: PipelineGraph): Promise<void> | undefined {
  const names = graph.warmUpNames();
  return names.length === 0 ? undefined : warmUpAll(graph, names);
}

// A warmUp() error reaches the caller unchanged, before any span, as Haystack's warm_up() raises it.
async function warmUpAll(graph: PipelineGraph, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const instance = graph.nodes.get(name)!.instance as { warmUp?: () => unknown };
    if (typeof instance.warmUp === "function") await instance.warmUp();
  }
}

function includeSet(graph: PipelineGraph, names: Iterable<string> | undefined): ReadonlySet<string> {
  const set = new Set(names ?? []);
  for (const name of set) {
    if (!graph.nodes.has(name)) {
      throw new PipelineValidationError(
        `includeOutputsFrom names '${name}', which is not a component of this pipeline. Known components: ${graph
          .sortedNames()
          .map((n) => `'${n}'`)
          .join(", ")}.`,
        { component: name },
      );
    }
  }
  return set;
}

/**
 * A graph of components run in Haystack 3.4 order.
 *
 * @example
 * const pipe = new Pipeline();
 * pipe.addComponent("retriever", new InMemoryBM25Retriever({ documentStore }));
 * pipe.addComponent("prompt_builder", new PromptBuilder({ template }));
 * pipe.addComponent("llm", new OpenAIGenerator({ model: "gpt-4o-mini" }));
 * pipe.connect("retriever", "prompt_builder.documents").connect("prompt_builder", "llm");
 * const { llm } = await pipe.run({ retriever: { query: q }, prompt_builder: { question: q } });
 */
export class Pipeline extends PipelineBase {
  constructor(options: PipelineOptions = {}) {
    super(options);
  }

  /**
   * Runs the pipeline one component at a time and returns the outputs nobody consumed (plus all
   * outputs of `includeOutputsFrom`). Data is `{ component: { socket: value } }` or flat
   * `{ socket: value }` (sent to every open socket of that name); it is deep-copied.
   * Throws {@link PipelineValidationError} before running on bad data and
   * {@link PipelineRuntimeError} (original error on `cause`) when a component fails.
   */
  run(data: Record<string, unknown>, options: RunOptions = {}): Promise<PipelineOutputs> {
    return this.#execute(data, options, "sync", (ctx) => runSequential(ctx));
  }

  /**
   * Like {@link Pipeline.run}, but components whose inputs are ready run concurrently, and a
   * component's `runAsync` is used when it has one.
   */
  runAsync(data: Record<string, unknown>, options: AsyncRunOptions = {}): Promise<PipelineOutputs> {
    const limit = options.concurrencyLimit ?? 4;
    if (!Number.isInteger(limit) || limit < 1) {
      return Promise.reject(new PipelineError(`Expected concurrencyLimit to be an integer >= 1, got ${describeValue(limit)}.`));
    }
    return this.#execute(data, options, "async", (ctx) => runConcurrent(ctx, limit));
  }

  /**
   * The pipeline as a plain dictionary in Haystack's shape (`metadata`, `max_runs_per_component`,
   * `components: { name: { type, init_parameters } }`, `connections`, `connection_type_validation`).
   */
  toDict(): PipelineDict {
    return graphToDict(graphOf(this), {
      metadata: this.metadata,
      maxRunsPerComponent: this.maxRunsPerComponent,
      connectionTypeValidation: this.connectionTypeValidation,
    });
  }

  /**
   * Rebuilds a pipeline from {@link Pipeline.toDict} output. Component types are looked up among
   * the `@component` classes loaded so far; `components` supplies ready instances by name instead.
   *
   * @example
   * const copy = Pipeline.fromDict(JSON.parse(JSON.stringify(pipe.toDict())));
   */
  static fromDict<P extends Pipeline>(this: new (options?: PipelineOptions) => P, data: unknown, options: { components?: Record<string, object> } = {}): P {
    checkPipelineDict(data);
    const pipelineOptions: PipelineOptions = {};
    if (data.metadata !== undefined) pipelineOptions.metadata = data.metadata;
    if (data.max_runs_per_component !== undefined) pipelineOptions.maxRunsPerComponent = data.max_runs_per_component;
    if (data.connection_type_validation !== undefined) pipelineOptions.connectionTypeValidation = data.connection_type_validation;
    const pipe = new this(pipelineOptions);
    for (const [name, dict] of Object.entries(data.components ?? {})) {
      pipe.addComponent(name, options.components?.[name] ?? componentFromDict(dict, name));
    }
    for (const { sender, receiver } of data.connections ?? []) {
      try {
        pipe.connect(sender, receiver);
      } catch (error) {
        throw new SerializationError(`Cannot restore connection '${sender}' -> '${receiver}': ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    return pipe;
  }

  /**
   * The pipeline as Mermaid flowchart text (Haystack's `draw` format, without calling a server).
   *
   * @example
   * fs.writeFileSync("pipeline.mmd", pipe.draw());
   */
  draw(options: { init?: string } = {}): string {
    return mermaidText(graphOf(this), options);
  }

  async #execute(
    data: Record<string, unknown>,
    options: RunOptions,
    executionMode: "sync" | "async",
    loop: (ctx: RunContext) => Promise<PipelineOutputs>,
  ): Promise<PipelineOutputs> {
    const graph = graphOf(this);
    // Haystack warms up before it checks the run data (a toolset may load its tools in warm_up()).
    const warming = warmUp(graph);
    if (warming !== undefined) await warming;
    const inputs = prepareRunInputs(graph, data);
    const includeOutputsFrom = includeSet(graph, options.includeOutputsFrom);
    const tracer = getPipelineTracer();
    const ctx: RunContext = {
      graph,
      state: { inputs, visits: new Map() },
      includeOutputsFrom,
      tracer,
      maxRunsPerComponent: this.maxRunsPerComponent,
      outputs: {},
    };
    if (tracer === undefined) return loop(ctx);
    const name = this.metadata["name"];
    const event: PipelineRunEvent = {
      pipeline: this,
      name: typeof name === "string" ? name : undefined,
      metadata: this.metadata,
      maxRunsPerComponent: this.maxRunsPerComponent,
      inputs: data,
      executionMode,
    };
    return callTraced(
      (run) => tracer.tracePipeline(event, run),
      () => loop(ctx),
    );
  }
}

/**
 * Haystack 2.x's `AsyncPipeline`: a {@link Pipeline} whose `run` is `runAsync`.
 *
 * @deprecated Haystack 3 removed `AsyncPipeline`; use {@link Pipeline.runAsync}. The first
 * construction logs one warning.
 * @example
 * const pipe = new AsyncPipeline();
 * // ...add and connect components...
 * const outputs = await pipe.run({ query: "q" }, { concurrencyLimit: 2 });
 */
export class AsyncPipeline extends Pipeline {
  constructor(options: PipelineOptions = {}) {
    super(options);
    reportOnce(
      "haystack.async-pipeline-deprecated",
      "warn",
      "AsyncPipeline is deprecated (Haystack 3 removed it): use new Pipeline() and await pipe.runAsync(data, { concurrencyLimit }).",
    );
  }

  override run(data: Record<string, unknown>, options: AsyncRunOptions = {}): Promise<PipelineOutputs> {
    return this.runAsync(data, options);
  }
}
