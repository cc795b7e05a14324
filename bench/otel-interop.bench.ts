/**
 * What the OpenTelemetry interop costs per span: our startSpan with no OpenTelemetry SDK (bridge
 * off, then on — it must not be measurably slower), then with a registered Node SDK (bridge on,
 * no active OpenTelemetry span; joining an active one; parenting an OpenTelemetry child), against
 * the same OpenTelemetry spans alone. Also W3C inject/continue.
 * Run: npx ts-node bench/otel-interop.bench.ts (this Node) or node bench/run.js bench/otel-interop.bench.ts.
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import { configureTracing, startSpan, traced } from "../lib/index";
import { setTraceClient } from "../lib/export/exporter";
import { disableOtelBridge, enableOtelBridge } from "../lib/otel/bridge";
import { continueTrace, injectTraceContext } from "../lib/otel/propagation";
import { sdkState } from "../lib/internal/global-state";
import { runWithSpan } from "../lib/tracing/context-bridge";
import { measure, printTable, type BenchResult } from "./harness";

const N = Number(process.env["BENCH_ITERATIONS"] ?? 200_000);
let acc = 0;
function work(i: number): number {
  return (i * 31) & 7;
}
const tracedWork = traced(function step(i: number) {
  return work(i);
});

function spanLoop(name: string): BenchResult {
  return measure(
    {
      name,
      run: (n) => {
        for (let i = 0; i < n; i++) acc += startSpan({ name: "s" }, () => work(i));
        return acc;
      },
    },
    N,
    9,
  );
}

function registerOtel(): NodeTracerProvider {
  const exporter: SpanExporter = {
    export(_spans: ReadableSpan[], done) {
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  return provider;
}

async function main(): Promise<void> {
  configureTracing({ completedTraceCapacity: 100 });
  // Keep export I/O out of the numbers: every case pays the same O(1) enqueue (and drop once full).
  setTraceClient({ export: async () => ({ failures: [] }), shutdown: async () => undefined });
  const results: BenchResult[] = [];

  // No OpenTelemetry SDK registered: the bridge must cost nothing measurable. Measured twice,
  // interleaved, so the difference can be read against the run-to-run noise.
  const offA = spanLoop("startSpan, no OTel SDK, bridge off");
  enableOtelBridge();
  const onA = spanLoop("startSpan, no OTel SDK, bridge on");
  disableOtelBridge();
  const offB = spanLoop("startSpan, no OTel SDK, bridge off");
  enableOtelBridge();
  const onB = spanLoop("startSpan, no OTel SDK, bridge on");
  results.push(offA.nsPerOp <= offB.nsPerOp ? offA : offB, onA.nsPerOp <= onB.nsPerOp ? onA : onB);
  // The hook alone, without span bookkeeping: entering a span's context with the bridge installed.
  const als = sdkState().context;
  const span = startSpan({ name: "frame" }, (s) => s);
  const f = (): number => 1;
  disableOtelBridge();
  const hookOff = measure(
    {
      name: "span context enter, no bridge (als.run)",
      run: (n) => {
        for (let i = 0; i < n; i++) acc += als.run(span, f);
        return acc;
      },
    },
    N * 5,
    9,
  );
  enableOtelBridge();
  const hookOn = measure(
    {
      name: "span context enter, bridge on, no OTel SDK",
      run: (n) => {
        for (let i = 0; i < n; i++) acc += runWithSpan(als, span, f, undefined);
        return acc;
      },
    },
    N * 5,
    9,
  );
  results.push(hookOff, hookOn);
  results.push(
    measure(
      {
        name: "traced fn, no OTel SDK, bridge on",
        run: (n) => {
          for (let i = 0; i < n; i++) acc += tracedWork(i);
          return acc;
        },
      },
      N,
    ),
  );
  const headers = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
  results.push(
    measure(
      {
        name: "continueTrace + startSpan + injectTraceContext",
        run: (n) => {
          for (let i = 0; i < n; i++) acc += continueTrace(headers, () => startSpan({ name: "s" }, () => injectTraceContext().traceparent?.length ?? 0));
          return acc;
        },
      },
      N,
    ),
  );
  disableOtelBridge();

  // A registered Node SDK (AsyncLocalStorage context manager + BatchSpanProcessor, no-op exporter).
  const provider = registerOtel();
  const tracer = trace.getTracer("bench");
  results.push(spanLoop("startSpan, OTel SDK, bridge off"));
  enableOtelBridge();
  results.push(spanLoop("startSpan, OTel SDK, bridge on"));
  results.push(
    measure(
      {
        name: "startSpan joining an active OTel span",
        run: (n) =>
          tracer.startActiveSpan("request", (request) => {
            for (let i = 0; i < n; i++) acc += startSpan({ name: "s" }, () => work(i));
            request.end();
            return acc;
          }),
      },
      N,
    ),
  );
  results.push(
    measure(
      {
        name: "startSpan + OTel child span, bridge on",
        run: (n) => {
          for (let i = 0; i < n; i++)
            acc += startSpan({ name: "s" }, () =>
              tracer.startActiveSpan("c", (c) => {
                c.end();
                return work(i);
              }),
            );
          return acc;
        },
      },
      N,
    ),
  );
  disableOtelBridge();
  results.push(
    measure(
      {
        name: "OTel span alone",
        run: (n) => {
          for (let i = 0; i < n; i++)
            acc += tracer.startActiveSpan("s", (s) => {
              const r = work(i);
              s.end();
              return r;
            });
          return acc;
        },
      },
      N,
    ),
  );
  results.push(
    measure(
      {
        name: "OTel parent + child alone",
        run: (n) => {
          for (let i = 0; i < n; i++)
            acc += tracer.startActiveSpan("s", (s) => {
              const r = tracer.startActiveSpan("c", (c) => {
                c.end();
                return work(i);
              });
              s.end();
              return r;
            });
          return acc;
        },
      },
      N,
    ),
  );
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();

  printTable("OpenTelemetry interop, one span start + end", results, "startSpan, no OTel SDK, bridge off", "cost");
  const byName = new Map(results.map((r) => [r.name, r.nsPerOp]));
  const off = byName.get("startSpan, no OTel SDK, bridge off") ?? 0;
  const on = byName.get("startSpan, no OTel SDK, bridge on") ?? 0;
  const noise = Math.abs(offA.nsPerOp - offB.nsPerOp);
  process.stdout.write(`  bridge on without an OTel SDK: ${(on - off).toFixed(1)} ns per span (best of two each; off-vs-off noise ${noise.toFixed(1)} ns)\n`);
  process.stdout.write(`  context-bridge hook without an OTel SDK: ${(hookOn.nsPerOp - hookOff.nsPerOp).toFixed(1)} ns per span entry\n`);
  const bridged = byName.get("startSpan + OTel child span, bridge on") ?? 0;
  const otelPair = byName.get("OTel parent + child alone") ?? 0;
  process.stdout.write(`  our span + OTel child vs OTel parent + child: ${(bridged / otelPair).toFixed(2)}x\n`);
}

main().then(
  () => {
    if (acc === -1) process.stdout.write("");
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
