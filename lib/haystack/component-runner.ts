/**
 * Runs one component visit: calls `run` (or `runAsync`), checks it returned an object, and, only
 * when a tracer is installed, builds the {@link ComponentRunEvent} and runs inside
 * `traceComponent`. The tracer sees the component's own error; wrapping into
 * {@link PipelineRuntimeError} happens after it returns.
 */
import { reportOnce } from "../internal/diagnostics";
import { isThenable } from "../internal/thenable";
import { PipelineRuntimeError } from "./errors";
import type { ComponentNode, PipelineGraph } from "./graph";
import type { ComponentRunEvent, PipelineTracer } from "./tracing-hook";

/** What a component returns. */
export type ComponentOutputs = Record<string, unknown>;

type Runnable = { run(inputs: Record<string, unknown>): unknown; runAsync?(inputs: Record<string, unknown>): unknown };

function checkOutputs(node: ComponentNode, value: unknown): ComponentOutputs {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw PipelineRuntimeError.fromInvalidOutput(node.name, node.info.type, value);
  }
  const outputs = value as ComponentOutputs;
  if (node.outputs.size === 0) return outputs;
  for (const key of Object.keys(outputs)) {
    if (!node.outputs.has(key)) {
      reportOnce(
        `haystack.undeclared-output.${node.info.type}.${key}`,
        "warn",
        `Component '${node.name}' (type '${node.info.type}') returned undeclared output '${key}'; it is returned in the pipeline result but cannot be connected. Declare it in @component({ outputs }).`,
      );
    }
  }
  return outputs;
}

function wrapError(node: ComponentNode, error: unknown): PipelineRuntimeError {
  return error instanceof PipelineRuntimeError ? error : PipelineRuntimeError.fromComponentError(node.name, node.info.type, error);
}

function invoke(node: ComponentNode, inputs: Record<string, unknown>, preferAsync: boolean): unknown {
  const instance = node.instance as Runnable;
  return preferAsync && typeof instance.runAsync === "function" ? instance.runAsync(inputs) : instance.run(inputs);
}

function buildEvent(graph: PipelineGraph, node: ComponentNode, inputs: Record<string, unknown>, visits: number): ComponentRunEvent {
  const spec = graph.spec(node);
  return {
    name: node.name,
    className: node.info.className,
    type: node.info.type,
    spanType: node.info.spanType,
    instance: node.instance,
    initParameters: node.info.initParameters,
    inputSpec: spec.inputs,
    outputSpec: spec.outputs,
    visits,
    inputs,
  };
}

/**
 * Calls a tracer hook, falling back to an untraced run if the tracer breaks its contract by not
 * calling `run` (a tracer bug must not break the pipeline).
 */
export function callTraced<T>(hook: (run: () => Promise<T>) => Promise<T>, run: () => Promise<T>): Promise<T> {
  let called = false;
  const once = (): Promise<T> => {
    called = true;
    return run();
  };
  const fallback = (error: unknown): Promise<T> => {
    reportOnce("haystack.tracer-contract", "warn", "The pipeline tracer did not call run(); the step ran untraced", error);
    return run();
  };
  let result: Promise<T>;
  try {
    result = Promise.resolve(hook(once));
  } catch (error) {
    if (called) throw error;
    return fallback(error);
  }
  return result.then(
    (value) => (called ? value : fallback(undefined)),
    (error: unknown) => (called ? Promise.reject(error) : fallback(error)),
  );
}

/**
 * Runs one visit of `node` with `inputs`; `visits` counts this visit. Returns synchronously when
 * no tracer is set and the component is synchronous. Throws {@link PipelineRuntimeError}.
 */
export function runComponent(
  graph: PipelineGraph,
  node: ComponentNode,
  inputs: Record<string, unknown>,
  visits: number,
  tracer: PipelineTracer | undefined,
  preferAsync: boolean,
): ComponentOutputs | Promise<ComponentOutputs> {
  if (tracer === undefined) {
    let result: unknown;
    try {
      result = invoke(node, inputs, preferAsync);
    } catch (error) {
      throw wrapError(node, error);
    }
    if (!isThenable(result)) return checkOutputs(node, result);
    return Promise.resolve(result).then(
      (value) => checkOutputs(node, value),
      (error: unknown) => Promise.reject(wrapError(node, error)),
    );
  }
  const event = buildEvent(graph, node, inputs, visits);
  return callTraced(
    (run) => tracer.traceComponent(event, run),
    async () => checkOutputs(node, await invoke(node, inputs, preferAsync)),
  ).then(undefined, (error: unknown) => Promise.reject(wrapError(node, error)));
}
