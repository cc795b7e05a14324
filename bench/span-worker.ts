/**
 * One SDK's side of the span benchmark (bench/tracing.bench.ts starts one of these per SDK, so no
 * two SDKs share a process): `node span-worker.js <sdk>`, then rounds on request. A round runs `n`
 * traces in chunks of {@link CHUNK}, yielding to the event loop between chunks as a service does
 * between requests (so batch processors export as they go instead of dropping), then flushes.
 * Figures per trace: `callerNs` (wall time inside the chunks: the caller's path), `cpuNs` (process
 * CPU for the whole round, flush included: every cost up to handing the batch to the exporter) and
 * `exported` (spans that reached the exporter, to catch drops).
 */
import { context, trace as otelTrace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Sample } from "./support/interleave";
import { serveWorker } from "./support/workers";

/** Traces per chunk between event-loop turns: 5-span chunks stay under OpenTelemetry's 2,048-span queue. */
export const CHUNK = 64;

let acc = 0;
export function work(i: number): number {
  return (i * 31) & 7;
}

type Op = (i: number) => void;
const gc = (globalThis as { gc?: () => void }).gc;

/** `flush` resolves when everything is handed to the exporter; `exported` counts spans that reached it. */
async function round(op: Op, n: number, flush: () => Promise<unknown>, exported: () => number): Promise<Sample> {
  gc?.();
  const spans0 = exported();
  let caller = 0n;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i += CHUNK) {
    const start = process.hrtime.bigint();
    const end = Math.min(n, i + CHUNK);
    for (let j = i; j < end; j++) op(j);
    caller += process.hrtime.bigint() - start;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flush();
  const cpu = process.cpuUsage(cpu0);
  return { callerNs: Number(caller) / n, cpuNs: ((cpu.user + cpu.system) * 1000) / n, exported: exported() - spans0 };
}

type Tasks = Record<string, (n: number) => Promise<Sample>>;

/** OpenTelemetry's SDK with a BatchSpanProcessor, as the peers below use it; `serialize` adds its OTLP JSON encoding. */
function otelProvider(): { provider: BasicTracerProvider; exported: () => number; serialize: { on: boolean } } {
  let spans = 0;
  const serialize = { on: false };
  const exporter: SpanExporter = {
    export(batch: ReadableSpan[], done) {
      if (serialize.on) acc += JsonTraceSerializer.serializeRequest(batch)?.length ?? 0;
      spans += batch.length;
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  otelTrace.setGlobalTracerProvider(provider);
  return { provider, serialize, exported: () => spans };
}

/** `fn` run as the root of a trace with `children` child spans, for SDKs that nest by callback. */
function fiveSpan(nest: (name: string, i: number, fn: () => number) => number): Op {
  return (i) => {
    acc += nest("root", i, () => {
      let sum = 0;
      for (let c = 0; c < 4; c++) sum += nest("child", c, () => work(c));
      return sum;
    });
  };
}

async function oursTasks(sdk: string): Promise<Tasks> {
  // BENCH_BASELINE_LIB: another build of lib/ (say, the commit before a change), run as "ours (baseline)".
  const lib = sdk === "ours (baseline)" ? (process.env["BENCH_BASELINE_LIB"] ?? "../lib") : "../lib";
  const { configureTracing, flushTraces, setTraceClient, startSpan, tracing, traced } = (await import(`${lib}/index`)) as typeof import("../lib/index");
  const { otlpRequest } = (await import(`${lib}/export/clients/otlp-spans`)) as typeof import("../lib/export/clients/otlp-spans");
  let spans = 0;
  let encode = false;
  setTraceClient({
    export: async (traces) => {
      if (encode) acc += JSON.stringify(otlpRequest(traces, "bench")).length;
      for (const t of traces) spans += t.data.spans.length;
      return { failures: [] };
    },
    shutdown: async () => undefined,
  });
  configureTracing({ completedTraceCapacity: 100 });
  const flush = (): Promise<unknown> => flushTraces();
  const exported = (): number => spans;
  class Service {
    @traced()
    step(i: number): number {
      return work(i);
    }
  }
  const service = new Service();
  const one: Op = (i) => void (acc += startSpan({ name: "s", inputs: { i } }, () => work(i)));
  const five = fiveSpan((name, i, fn) => startSpan({ name, inputs: { i } }, fn));
  const timed = (op: Op, n: number, encoded: boolean): Promise<Sample> => {
    encode = encoded;
    return round(op, n, flush, exported);
  };
  /** ns per call, no yielding: the disabled path has nothing deferred. */
  const tight =
    (op: Op, enabled: boolean) =>
    async (n: number): Promise<Sample> => {
      if (!enabled) tracing.disable();
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) op(i);
      const ns = Number(process.hrtime.bigint() - start) / n;
      tracing.enable();
      return { callerNs: ns, cpuNs: ns, exported: 0 };
    };
  return {
    "1": (n) => timed(one, n, false),
    "5": (n) => timed(five, n, false),
    "1 otlp-json": (n) => timed(one, n, true),
    "5 otlp-json": (n) => timed(five, n, true),
    traced: (n) => timed((i) => void (acc += service.step(i)), n, false),
    plain: tight((i) => void (acc += work(i)), true),
    "startSpan disabled": tight((i) => void (acc += startSpan({ name: "s" }, () => work(i))), false),
    "@traced disabled": tight((i) => void (acc += service.step(i)), false),
    memory: async (n) => ({ kib: memoryPerTrace(startSpan, configureTracing, n) }),
  };
}

/** KiB of heap each finished 5-span trace holds while kept as a completed trace. */
function memoryPerTrace(
  startSpan: typeof import("../lib/index").startSpan,
  configureTracing: typeof import("../lib/index").configureTracing,
  count: number,
): number {
  configureTracing({ completedTraceCapacity: count });
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    startSpan({ name: "root", inputs: { question: `q${i}` } }, () => {
      for (let c = 0; c < 4; c++) startSpan({ name: `child${c}`, inputs: { c } }, () => c);
      return "answer";
    });
  }
  gc?.();
  const kib = (process.memoryUsage().heapUsed - before) / count / 1024;
  configureTracing({ completedTraceCapacity: 100 });
  return kib;
}

function otelTasks(): Tasks {
  const { provider, serialize, exported } = otelProvider();
  const tracer = provider.getTracer("bench");
  const flush = (): Promise<void> => provider.forceFlush();
  const nest = (name: string, i: number, fn: () => number): number =>
    tracer.startActiveSpan(name, (span) => {
      span.setAttribute("i", i);
      const r = fn();
      span.end();
      return r;
    });
  const one: Op = (i) => void (acc += nest("s", i, () => work(i)));
  const five = fiveSpan(nest);
  const timed = (op: Op, n: number, encoded: boolean): Promise<Sample> => {
    serialize.on = encoded;
    return round(op, n, flush, exported);
  };
  return {
    "1": (n) => timed(one, n, false),
    "5": (n) => timed(five, n, false),
    "1 otlp-json": (n) => timed(one, n, true),
    "5 otlp-json": (n) => timed(five, n, true),
  };
}

async function langfuseTasks(kind: "startActiveObservation" | "observe"): Promise<Tasks> {
  const { provider, exported } = otelProvider();
  const langfuse = await import("@langfuse/tracing");
  langfuse.setLangfuseTracerProvider(provider);
  const flush = (): Promise<void> => provider.forceFlush();
  let nest: (name: string, i: number, fn: () => number) => number;
  if (kind === "startActiveObservation") {
    nest = (name, i, fn) =>
      langfuse.startActiveObservation(name, (span) => {
        span.update({ input: { i } });
        const r = fn();
        span.update({ output: r });
        return r;
      });
  } else {
    const observed = new Map<string, (i: number, fn: () => number) => number>();
    for (const name of ["s", "root", "child"])
      observed.set(
        name,
        langfuse.observe((_i: number, fn: () => number) => fn(), { name }),
      );
    nest = (name, i, fn) => (observed.get(name) as (i: number, fn: () => number) => number)(i, fn);
  }
  const one: Op = (i) => void (acc += nest("s", i, () => work(i)));
  return { "1": (n) => round(one, n, flush, exported), "5": (n) => round(fiveSpan(nest), n, flush, exported) };
}

async function openInferenceTasks(): Promise<Tasks> {
  const { provider, exported } = otelProvider();
  const { withSpan } = await import("@arizeai/openinference-core");
  const flush = (): Promise<void> => provider.forceFlush();
  const tracer = provider.getTracer("bench");
  const wrapped = new Map<string, (i: number, fn: () => number) => number>();
  for (const name of ["s", "root", "child"])
    wrapped.set(
      name,
      withSpan((_i: number, fn: () => number) => fn(), { name, tracer }),
    );
  const nest = (name: string, i: number, fn: () => number): number => (wrapped.get(name) as (i: number, fn: () => number) => number)(i, fn);
  const one: Op = (i) => void (acc += nest("s", i, () => work(i)));
  return { "1": (n) => round(one, n, flush, exported), "5": (n) => round(fiveSpan(nest), n, flush, exported) };
}

/** The SDKs a worker can host, by the name the parent passes. */
export const SDKS = ["ours", "OpenTelemetry", "Langfuse startActiveObservation", "Langfuse observe", "OpenInference withSpan"] as const;
export type SdkName = (typeof SDKS)[number] | "ours (baseline)";

async function tasksFor(sdk: string): Promise<Tasks> {
  switch (sdk) {
    case "ours":
    case "ours (baseline)":
      return oursTasks(sdk);
    case "OpenTelemetry":
      return otelTasks();
    case "Langfuse startActiveObservation":
      return langfuseTasks("startActiveObservation");
    case "Langfuse observe":
      return langfuseTasks("observe");
    case "OpenInference withSpan":
      return openInferenceTasks();
    default:
      throw new Error(`unknown SDK ${sdk}`);
  }
}

/** `node --cpu-prof span-worker.js <sdk> --profile <task>`: ten rounds of one task, no parent (see bench/README.md). */
async function profile(tasks: Tasks, task: string): Promise<void> {
  const run = tasks[task];
  if (run === undefined) throw new Error(`unknown task ${task}`);
  for (let r = 0; r < 10; r++) await run(20_000);
}

if (require.main === module) {
  const at = process.argv.indexOf("--profile");
  const start = at < 0 ? (tasks: Tasks) => serveWorker(tasks) : (tasks: Tasks) => profile(tasks, process.argv[at + 1] ?? "1");
  tasksFor(process.argv[2] ?? "")
    .then(start)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
if (acc === -1) process.stdout.write("");
