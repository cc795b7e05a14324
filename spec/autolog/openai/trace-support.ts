/** Shared by the `mlflow.openai` specs: collecting completed traces and waiting for the next one. */
import type { Span, Trace } from "../../../lib/index";
import { addTraceSink } from "../../../lib/tracing/completed-traces";

export interface Collector {
  readonly traces: Trace[];
  /** Resolves with the next trace completed from now on. */
  next(): Promise<Trace>;
  stop(): void;
}

export function collectTraces(): Collector {
  const traces: Trace[] = [];
  let waiters: ((trace: Trace) => void)[] = [];
  const stop = addTraceSink({
    onTraceCompleted(trace) {
      traces.push(trace);
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve(trace);
    },
  });
  return { traces, stop, next: () => new Promise<Trace>((resolve) => waiters.push(resolve)) };
}

/** The only span of a one-span trace. */
export function onlySpan(trace: Trace | undefined): Span {
  const spans = trace?.data.spans ?? [];
  if (spans.length !== 1) throw new Error(`expected one span, got ${spans.map((s) => s.name).join(", ") || "none"}`);
  return spans[0]!;
}
