/**
 * The benchmark's unit of work: a finished 5-span trace (a root and four children) whose spans each
 * carry about 1 KiB of inputs, built with the public `startSpan` API. The Python script
 * (python_log_traces.py) builds the same shape with `mlflow.start_span`.
 */
import { getLastActiveTrace } from "../../lib/tracing/fluent";
import { startSpan } from "../../lib/tracing/start-span";
import type { Trace } from "../../lib/tracing/trace";

export const SPANS_PER_TRACE = 5;
export const INPUT_BYTES = 1024;

/** `INPUT_BYTES` characters that differ per trace and span, so no two payloads are equal. */
export function payload(trace: number, span: number): string {
  const head = `trace ${trace} span ${span} `;
  return head + "lorem ipsum dolor sit amet ".repeat(Math.ceil(INPUT_BYTES / 27)).slice(0, INPUT_BYTES - head.length);
}

/** Runs one 5-span trace; the trace is published to the SDK's sinks when its root ends. */
export function runTrace(i: number): void {
  startSpan({ name: "pipeline", spanType: "CHAIN", inputs: { query: payload(i, 0) } }, () => {
    for (let c = 1; c < SPANS_PER_TRACE; c++) {
      startSpan({ name: `component_${c}`, spanType: "UNKNOWN", inputs: { text: payload(i, c) } }, () => ({ ok: c }));
    }
    return { answer: `answer ${i}` };
  });
}

/** Builds `count` finished traces and returns them (they are lazily assembled: the first reader pays). */
export function buildTraces(count: number, offset = 0): Trace[] {
  const traces: Trace[] = [];
  for (let i = 0; i < count; i++) {
    runTrace(offset + i);
    const trace = getLastActiveTrace();
    if (trace === undefined) throw new Error("startSpan did not produce a trace: is tracing disabled (MLFLOW_TRACING_ENABLED)?");
    traces.push(trace);
  }
  return traces;
}

/** Reads every trace once, so the assembly cost is paid here and not by the exporter. */
export function materialize(traces: readonly Trace[]): number {
  let spans = 0;
  for (const t of traces) spans += t.data.spans.length; // the first read assembles info and spans
  return spans;
}
