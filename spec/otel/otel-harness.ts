/**
 * A real OpenTelemetry Node SDK for tests: `NodeTracerProvider` with the AsyncLocalStorage
 * context manager and an in-memory exporter, registered globally as an app would, and removed
 * again (every global) by `unregister()`.
 */
import { context, propagation, trace, type Tracer } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";

export interface OtelHarness {
  readonly provider: NodeTracerProvider;
  readonly tracer: Tracer;
  readonly exporter: InMemorySpanExporter;
  /** OpenTelemetry spans the app's provider recorded, by name. */
  finished(name: string): ReadableSpan[];
  unregister(): Promise<void>;
}

export function registerOtel(): OtelHarness {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return {
    provider,
    tracer: trace.getTracer("app"),
    exporter,
    finished: (name) => exporter.getFinishedSpans().filter((s) => s.name === name),
    async unregister() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Collects every trace this SDK completes, until `stop()`. */
export function collectTraces(): { readonly traces: Trace[]; byRoot(name: string): Trace[]; stop(): void } {
  const traces: Trace[] = [];
  const stop = addTraceSink({ onTraceCompleted: (t) => traces.push(t) });
  return { traces, byRoot: (name) => traces.filter((t) => t.rootSpan?.name === name), stop };
}
