/**
 * Cost of recording huge values, against the same call with a value that just fits the caps:
 * a traced call given a 20M-element Float64Array (vs 10,000 elements, the item cap), and a span
 * whose inputs hold 10,000 references to one 1 MB string (vs 4 references, about maxValueLength).
 * With the caps, only what is kept is read, so each ratio stays near 1x (before them: ~1 s per
 * typed-array call and an out-of-memory for the references).
 * Run: node bench/run.js bench/huge-values.bench.ts --this-node
 */
import { setTraceClient, startSpan, traced } from "../lib/index";
import { type TraceClient } from "../lib/export/index";
import { measure, printTable, type BenchResult } from "./harness";

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
const N = Number(process.env["BENCH_ITERATIONS"] ?? 50);

function main(): void {
  setTraceClient(noopClient);
  const sum = traced(function sum(values: Float64Array): number {
    return values.length;
  });
  const capped = new Float64Array(10_000);
  const huge = new Float64Array(20_000_000);
  const oneMb = "m".repeat(1_000_000);
  const fewRefs = Array.from({ length: 4 }, () => oneMb);
  const manyRefs = Array.from({ length: 10_000 }, () => oneMb);
  const results: BenchResult[] = [
    measure(
      {
        name: "traced(fn)(10,000-element Float64Array)",
        run: (n) => {
          let a = 0;
          for (let i = 0; i < n; i++) a += sum(capped);
          return a;
        },
      },
      N,
    ),
    measure(
      {
        name: "traced(fn)(20M-element Float64Array)",
        run: (n) => {
          let a = 0;
          for (let i = 0; i < n; i++) a += sum(huge);
          return a;
        },
      },
      N,
    ),
    measure(
      {
        name: "startSpan, inputs 4 refs to a 1 MB string",
        run: (n) => {
          for (let i = 0; i < n; i++) startSpan({ name: "s", inputs: { docs: fewRefs } }, () => 0);
          return n;
        },
      },
      N,
    ),
    measure(
      {
        name: "startSpan, inputs 10,000 refs to a 1 MB string",
        run: (n) => {
          for (let i = 0; i < n; i++) startSpan({ name: "s", inputs: { docs: manyRefs } }, () => 0);
          return n;
        },
      },
      N,
    ),
  ];
  printTable("Huge values", results, results[0]!.name);
  process.stdout.write(`  20M-element typed array: ${(results[1]!.nsPerOp / results[0]!.nsPerOp).toFixed(2)}x the 10,000-element call (target ~1x)\n`);
  process.stdout.write(`  10,000 refs to 1 MB: ${(results[3]!.nsPerOp / results[2]!.nsPerOp).toFixed(2)}x the 4-ref span (target ~1x)\n`);
}

main();
