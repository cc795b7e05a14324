/**
 * The per-visit Document copy (Haystack deep-copies a component's inputs on every visit, and so do
 * we): 100 Documents of 1 KB through a chain of components that pass them on. Baseline: the same
 * pipeline carrying the same Documents inside a class instance, which pipelines pass by reference,
 * so the runs differ only by the copies. Contenders interleaved, ratios paired round by round.
 */
import { component } from "../../lib/haystack/component";
import { Document } from "../../lib/haystack/document";
import { Pipeline } from "../../lib/haystack/pipeline";
import { fmtSpread, interleave, loadLine, out, paired, pairedDiff, roundsFromEnv, spread } from "./interleave";

const DOCUMENTS = 100;
const COMPONENTS = 4;
const RUNS_PER_ROUND = 300;

@component({ inputs: { documents: "list[Document]" }, outputs: { documents: "list[Document]" } })
class PassDocuments {
  run({ documents }: { documents: Document[] }): { documents: Document[] } {
    return { documents };
  }
}

/** Holds the Documents where the pipeline does not copy them: a class instance goes by reference. */
class Batch {
  constructor(readonly documents: Document[]) {}
}

@component({ inputs: { batch: "any" }, outputs: { batch: "any" } })
class PassBatch {
  run({ batch }: { batch: Batch }): { batch: Batch } {
    return { batch };
  }
}

function chainOf(make: () => object): Pipeline {
  const pipe = new Pipeline();
  for (let i = 0; i < COMPONENTS; i++) pipe.addComponent(`c${i}`, make());
  for (let i = 1; i < COMPONENTS; i++) pipe.connect(`c${i - 1}`, `c${i}`);
  return pipe;
}

function corpus(): Document[] {
  const text = "The quick brown fox jumps over the lazy dog. ".repeat(23).slice(0, 1024);
  return Array.from({ length: DOCUMENTS }, (_, i) => new Document({ content: `${i} ${text}`, meta: { source: `doc-${i}.txt`, page: i % 7 } }));
}

async function timeRuns(run: () => Promise<unknown>): Promise<{ us: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS_PER_ROUND; i++) await run();
  const used = process.cpuUsage(cpu);
  return { us: Number(process.hrtime.bigint() - start) / 1000 / RUNS_PER_ROUND, cpuUs: (used.user + used.system) / RUNS_PER_ROUND };
}

/** Prints wall and CPU µs per run with and without the copies, their ratio, and the copy's cost per component visit. */
export async function measureDocumentCopy(): Promise<void> {
  const documents = corpus();
  const copied = chainOf(() => new PassDocuments());
  const byReference = chainOf(() => new PassBatch());
  const samples = await interleave(
    [
      { name: "copied", run: () => timeRuns(() => copied.run({ c0: { documents } })) },
      { name: "by reference", run: () => timeRuns(() => byReference.run({ c0: { batch: new Batch(documents) } })) },
    ],
    roundsFromEnv(7),
  );
  out(`\n${DOCUMENTS} Documents of 1 KB through a ${COMPONENTS}-component chain (${loadLine()}):`);
  for (const key of ["us", "cpuUs"] as const) {
    const withCopies = (samples.get("copied") ?? []).map((s) => s[key]);
    const without = (samples.get("by reference") ?? []).map((s) => s[key]);
    const unit = (key === "us" ? "wall:" : "CPU:").padEnd(5);
    out(`  ${unit} per-visit copies on   ${fmtSpread(spread(withCopies), 1, " µs")} per run`);
    out(`  ${unit} by reference          ${fmtSpread(spread(without), 1, " µs")} per run`);
    out(`  ${unit} ratio                 ${fmtSpread(spread(paired(withCopies, without)), 2, "x")}`);
    out(`  ${unit} copy per visit        ${fmtSpread(spread(pairedDiff(withCopies, without).map((d) => d / COMPONENTS)), 1, " µs")}`);
  }
}
