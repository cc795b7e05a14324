/**
 * Cost of one span: a plain call, the same call inside startSpan, a @traced method, and
 * OpenTelemetry's startActiveSpan + end with a BatchSpanProcessor and a no-op exporter (the engine
 * under MLflow's own TypeScript SDK; ours runs its batch processor with a no-op client), plus
 * disabled tracing and memory per finished 5-span trace.
 * Run: npm run bench (all Node versions) or npx ts-node bench/tracing.bench.ts (this Node).
 */
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { configureTracing, getLastActiveTrace, setTraceClient, startSpan, traced, tracing } from "../lib/index";
import { type TraceClient } from "../lib/export/index";
import { measure, printTable, type BenchResult } from "./harness";

const N = Number(process.env["BENCH_ITERATIONS"] ?? 200_000);
let acc = 0;
function work(i: number): number {
  return (i * 31) & 7;
}

class Service {
  @traced()
  step(i: number): number {
    return work(i);
  }
}

function otelTracer() {
  const exporter: SpanExporter = {
    export(_spans: ReadableSpan[], done) {
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  return provider.getTracer("bench");
}

/** Our counterpart of OpenTelemetry's no-op exporter: our batch processor runs, the client drops. */
const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };

function main(): void {
  configureTracing({ completedTraceCapacity: 100 });
  setTraceClient(noopClient);
  const service = new Service();
  const results: BenchResult[] = [];
  results.push(measure({ name: "plain call", run: (n) => { for (let i = 0; i < n; i++) acc += work(i); return acc; } }, N));
  results.push(
    measure({ name: "startSpan (1-span trace)", run: (n) => { for (let i = 0; i < n; i++) acc += startSpan({ name: "s", inputs: { i } }, () => work(i)); return acc; } }, N),
  );
  const perSpan = (r: BenchResult, spans: number): BenchResult => ({ name: r.name, nsPerOp: r.nsPerOp / spans });
  results.push(
    perSpan(
      measure({
        name: "startSpan in a 5-span trace (per span)",
        run: (n) => {
          for (let i = 0; i < n; i++) {
            acc += startSpan({ name: "root", inputs: { i } }, () => {
              let sum = 0;
              for (let c = 0; c < 4; c++) sum += startSpan({ name: "child", inputs: { c } }, () => work(c));
              return sum;
            });
          }
          return acc;
        },
      }, Math.floor(N / 5)),
      5,
    ),
  );
  results.push(measure({ name: "@traced method", run: (n) => { for (let i = 0; i < n; i++) acc += service.step(i); return acc; } }, N));
  // Set up after our cases: OpenTelemetry's context manager adds an AsyncLocalStorage of its own.
  const tracer = otelTracer();
  results.push(
    measure({
      name: "OpenTelemetry SDK span",
      run: (n) => { for (let i = 0; i < n; i++) acc += tracer.startActiveSpan("s", (span) => { span.setAttribute("i", i); const r = work(i); span.end(); return r; }); return acc; },
    }, N),
  );
  tracing.disable();
  results.push(measure({ name: "startSpan, tracing disabled", run: (n) => { for (let i = 0; i < n; i++) acc += startSpan({ name: "s" }, () => work(i)); return acc; } }, N));
  results.push(measure({ name: "@traced, tracing disabled", run: (n) => { for (let i = 0; i < n; i++) acc += service.step(i); return acc; } }, N));
  tracing.enable();
  printTable("One span, start + end", results, "OpenTelemetry SDK span", "cost");
  const plain = results[0]!.nsPerOp;
  for (const r of results.filter((x) => x.name.includes("disabled"))) {
    process.stdout.write(`  ${r.name}: +${(r.nsPerOp - plain).toFixed(1)} ns over a plain call (target < 50 ns)\n`);
  }
  const otel = results.find((r) => r.name === "OpenTelemetry SDK span")!.nsPerOp;
  for (const r of results.filter((x) => x.name.startsWith("startSpan (") || x.name.startsWith("startSpan in a") || x.name === "@traced method")) {
    process.stdout.write(`  ${r.name}: ${(otel / r.nsPerOp).toFixed(1)}x cheaper than OpenTelemetry (target >= 4x)\n`);
  }
  memoryPerTrace();
}

function memoryPerTrace(): void {
  const count = 2000;
  configureTracing({ completedTraceCapacity: count });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    startSpan({ name: "root", inputs: { question: `q${i}` } }, () => {
      for (let c = 0; c < 4; c++) startSpan({ name: `child${c}`, inputs: { c } }, () => c);
      return "answer";
    });
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const spans = getLastActiveTrace()?.data.spans.length ?? 0;
  process.stdout.write(
    `  memory per finished trace of ${spans} spans: ${((after - before) / count / 1024).toFixed(2)} KiB` +
      `${gc === undefined ? " (run with --expose-gc for a steadier figure)" : ""}\n`,
  );
  configureTracing({ completedTraceCapacity: 100 });
}

main();
if (acc === -1) process.stdout.write("");
