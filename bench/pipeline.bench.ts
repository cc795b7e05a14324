/**
 * Pipeline overhead per component run: a 3-component chain and a 20-component fan-out/fan-in
 * graph of trivial components. Baseline: calling the same components' run() directly. Then the
 * per-visit Document copy (bench/support/document-copy.ts).
 * Run: `npx ts-node --transpile-only bench/pipeline.bench.ts`
 */
import { AsyncPipeline } from "../lib/haystack/pipeline";
import { setPipelineTracer } from "../lib/haystack/tracing-hook";
import { measureDocumentCopy } from "./support/document-copy";
import { chain, fanOut, Inc, Join } from "./support/pipeline-shapes";

async function measure(label: string, runsPerIteration: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 10000; i++) await fn();
  const iterations = 20000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start) / (iterations * runsPerIteration);
  process.stdout.write(`${label.padEnd(48)} ${ns.toFixed(0).padStart(7)} ns per component run\n`);
  return ns;
}

async function main(): Promise<void> {
  const inc = new Inc();
  const join = new Join();
  const direct3 = await measure("baseline: 3 direct run() calls", 3, () => inc.run(inc.run(inc.run({ value: 0 }))));
  const direct20 = await measure("baseline: 20 direct run() calls", 20, () => {
    const v = inc.run({ value: 0 }).value;
    const totals: number[] = [];
    for (let b = 0; b < 6; b++) totals.push(inc.run(inc.run(inc.run({ value: v }))).value);
    return join.run({ values: totals });
  });
  const c3 = chain(3);
  const g20 = fanOut();
  const g20async = fanOut(AsyncPipeline);
  const p3 = await measure("Pipeline.run, 3-component chain", 3, () => c3.run({ c0: { value: 0 } }));
  const p20 = await measure("Pipeline.run, 20-component graph", 20, () => g20.run({ source: { value: 0 } }));
  const a20 = await measure("AsyncPipeline.run, 20-component graph", 20, () => g20async.run({ source: { value: 0 } }));
  setPipelineTracer({ tracePipeline: (_e, run) => run(), traceComponent: (_e, run) => run() });
  const t3 = await measure("Pipeline.run, 3-chain, pass-through tracer", 3, () => c3.run({ c0: { value: 0 } }));
  const t20 = await measure("Pipeline.run, 20-graph, pass-through tracer", 20, () => g20.run({ source: { value: 0 } }));
  setPipelineTracer(undefined);
  process.stdout.write(
    `\nratios vs direct calls: chain3 ${(p3 / direct3).toFixed(1)}x, graph20 ${(p20 / direct20).toFixed(1)}x, ` +
      `graph20 async ${(a20 / direct20).toFixed(1)}x\n` +
      `tracer hook cost: chain3 ${(t3 / p3).toFixed(2)}x, graph20 ${(t20 / p20).toFixed(2)}x of untraced\n`,
  );
  await measureDocumentCopy();
}

void main();
