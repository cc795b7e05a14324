/**
 * The two execution loops over Haystack 3.4's scheduler: sequential (one component at a time,
 * exactly Haystack's order) and concurrent (AsyncPipeline: independent READY components run
 * together; greedy and deferred components run alone).
 */
import { diag } from "../internal/diagnostics";
import { runComponent } from "./component-runner";
import { deepCopyValuesInPlace } from "./deep-copy";
import { PipelineComponentsBlockedError, PipelineMaxComponentRunsError, PipelineRuntimeError } from "./errors";
import type { PipelineGraph } from "./graph";
import { consumeInputs, fillQueue, Priority, tiebreak, writeOutputs, type PriorityQueue, type RunState } from "./scheduler";
import type { PipelineTracer } from "./tracing-hook";

/** `{ component: { output: value } }`. */
export type PipelineOutputs = Record<string, Record<string, unknown>>;

/** Everything one run needs. */
export interface RunContext {
  readonly graph: PipelineGraph;
  readonly state: RunState;
  readonly includeOutputsFrom: ReadonlySet<string>;
  readonly tracer: PipelineTracer | undefined;
  readonly maxRunsPerComponent: number;
  readonly outputs: PipelineOutputs;
}

function blockedError(ctx: RunContext): PipelineComponentsBlockedError {
  const waiting: string[] = [];
  for (const name of ctx.graph.sortedNames()) {
    const node = ctx.graph.nodes.get(name)!;
    const missing = [...node.inputs.values()].filter((s) => s.mandatory && s.senders.length > 0).map((s) => `${name}.${s.name} <- ${s.senders.join(", ")}`);
    if (missing.length > 0) waiting.push(...missing);
  }
  return new PipelineComponentsBlockedError(
    `Cannot run the pipeline: no component can start, because every component waits for input from another ` +
      `(a cycle without an entry point, or no component takes the run's data). Waiting sockets: ${waiting.join("; ") || "(none)"}. ` +
      `Give an entry component user input or make one input in the cycle optional.`,
  );
}

function startVisit(ctx: RunContext, name: string): { args: Record<string, unknown>; visits: number } {
  const done = ctx.state.visits.get(name) ?? 0;
  if (done >= ctx.maxRunsPerComponent) {
    throw new PipelineMaxComponentRunsError(
      `Maximum run count ${ctx.maxRunsPerComponent} reached for component '${name}'. If the loop is intended, raise ` +
        `maxRunsPerComponent in new Pipeline({ maxRunsPerComponent }); otherwise make the loop stop sending to '${name}'.`,
      { component: name },
    );
  }
  // Haystack copies per visit: receivers of one sender, and loop visits of one user value, must not
  // see each other's mutations.
  return { args: deepCopyValuesInPlace(consumeInputs(ctx.graph.nodes.get(name)!, ctx.state)), visits: done + 1 };
}

function finishVisit(ctx: RunContext, name: string, visits: number, outputs: Record<string, unknown>): void {
  ctx.state.visits.set(name, visits);
  const node = ctx.graph.nodes.get(name)!;
  let report: Record<string, unknown> | undefined;
  try {
    report = writeOutputs(node, outputs, ctx.state, ctx.includeOutputsFrom.has(name));
  } catch (error) {
    throw new PipelineRuntimeError(
      `Component '${name}' (type '${node.info.type}') produced an output that could not be converted for its receiver: ${error instanceof Error ? error.message : String(error)}.`,
      { componentName: name, componentType: node.info.type, cause: error },
    );
  }
  if (report !== undefined) ctx.outputs[name] = report;
  else if (ctx.includeOutputsFrom.has(name)) ctx.outputs[name] = {};
}

function checkStart(ctx: RunContext, queue: PriorityQueue): void {
  if (queue.peek()?.priority === Priority.Blocked) throw blockedError(ctx);
}

function logIfBlocked(ctx: RunContext): void {
  if (Object.keys(ctx.outputs).length === 0) {
    diag("warn", "the pipeline stopped without producing outputs: some components never received their inputs");
  }
}

/** Runs components one at a time in Haystack 3.4 order. */
export async function runSequential(ctx: RunContext): Promise<PipelineOutputs> {
  const names = ctx.graph.sortedNames();
  let queue = fillQueue(ctx.graph, names, ctx.state);
  checkStart(ctx, queue);
  for (;;) {
    const head = queue.pop();
    if (head === undefined || head.priority === Priority.Blocked) break;
    let name = head.name;
    if (queue.size > 0 && (head.priority === Priority.Defer || head.priority === Priority.DeferLast)) {
      name = tiebreak(ctx.graph, name, head.priority, queue);
    }
    const { args, visits } = startVisit(ctx, name);
    let result = runComponent(ctx.graph, ctx.graph.nodes.get(name)!, args, visits, ctx.tracer, false);
    if (result instanceof Promise) result = await result;
    finishVisit(ctx, name, visits, result);
    if (queue.isStale()) queue = fillQueue(ctx.graph, names, ctx.state, queue);
  }
  logIfBlocked(ctx);
  return ctx.outputs;
}

/**
 * Runs every READY component concurrently (up to `concurrencyLimit`), using `runAsync` when a
 * component has one. A greedy (HIGHEST) or deferred component runs only when nothing else does.
 * On failure, waits for running components to settle, then throws the first error.
 */
export async function runConcurrent(ctx: RunContext, concurrencyLimit: number): Promise<PipelineOutputs> {
  const names = ctx.graph.sortedNames();
  const running = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  const launch = (name: string): Promise<void> => {
    const { args, visits } = startVisit(ctx, name);
    const task = Promise.resolve()
      .then(() => runComponent(ctx.graph, ctx.graph.nodes.get(name)!, args, visits, ctx.tracer, true))
      .then((outputs) => finishVisit(ctx, name, visits, outputs))
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(name));
    running.set(name, task);
    return task;
  };
  checkStart(ctx, fillQueue(ctx.graph, names, ctx.state));
  try {
    while (failure === undefined) {
      const queue = fillQueue(ctx.graph, running.size === 0 ? names : names.filter((n) => !running.has(n)), ctx.state);
      let head = queue.peek();
      let exclusive: Promise<void> | undefined;
      while (head !== undefined && head.priority <= Priority.Ready && running.size < concurrencyLimit) {
        if (head.priority === Priority.Highest) {
          if (running.size === 0) exclusive = launch(queue.pop()!.name);
          break;
        }
        void launch(queue.pop()!.name);
        head = queue.peek();
      }
      if (exclusive !== undefined) await exclusive;
      else if (running.size > 0) await Promise.race(running.values());
      else {
        const first = queue.pop();
        if (first === undefined || first.priority === Priority.Blocked) break;
        await launch(tiebreak(ctx.graph, first.name, first.priority, queue));
      }
    }
  } finally {
    await Promise.allSettled(running.values());
  }
  if (failure !== undefined) throw failure.error;
  logIfBlocked(ctx);
  return ctx.outputs;
}
