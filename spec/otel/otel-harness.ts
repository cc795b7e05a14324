/**
 * A real OpenTelemetry Node SDK for tests: `NodeTracerProvider` with the AsyncLocalStorage
 * context manager and an in-memory exporter, registered globally as an app would, and removed
 * again (every global) by `unregister()`.
 */
import { context, propagation, trace, type Tracer } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import type { Trace } from "../../lib/index";
import { addTraceSink } from "../../lib/tracing/completed-traces";
import { disableOtelBridge, enableOtelBridge } from "../../lib/otel/bridge";

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

/** What {@link useBridgedOtel} hands each test. */
export type CollectedTraces = ReturnType<typeof collectTraces>;

/**
 * Around every test of the calling `describe`: registers the app's OpenTelemetry SDK, turns the
 * bridge on and collects our traces; afterwards undoes all three. `use` receives them per test.
 */
export function useBridgedOtel(use: (otel: OtelHarness, collected: CollectedTraces) => void): void {
  let otel: OtelHarness | undefined;
  let collected: CollectedTraces | undefined;
  beforeEach(() => {
    otel = registerOtel();
    enableOtelBridge();
    collected = collectTraces();
    use(otel, collected);
  });
  afterEach(async () => {
    collected?.stop();
    disableOtelBridge();
    await otel?.unregister();
  });
}
