/**
 * The pipeline shapes the pipeline benchmarks measure, here and against Python Haystack
 * (bench/support/haystack_bench.py builds the same): a chain of trivial components and a
 * 20-component fan-out/fan-in graph.
 */
import { component } from "../../lib/haystack/component";
import { Pipeline } from "../../lib/haystack/pipeline";

@component({ inputs: { value: "int" }, outputs: { value: "int" } })
export class Inc {
  run({ value }: { value: number }): { value: number } {
    return { value: value + 1 };
  }
}

@component({ inputs: { values: { type: "int", variadic: "lazy" } }, outputs: { total: "int" } })
export class Join {
  run({ values }: { values: number[] }): { total: number } {
    return { total: values.reduce((a, b) => a + b, 0) };
  }
}

/** `n` Inc components in a row. */
export function chain(n: number): Pipeline {
  const pipe = new Pipeline();
  for (let i = 0; i < n; i++) pipe.addComponent(`c${i}`, new Inc());
  for (let i = 1; i < n; i++) pipe.connect(`c${i - 1}`, `c${i}`);
  return pipe;
}

/** source -> 6 branches of 3 -> join: 20 components. */
export function fanOut(PipelineClass: typeof Pipeline = Pipeline): Pipeline {
  const pipe = new PipelineClass();
  pipe.addComponent("source", new Inc()).addComponent("join", new Join());
  for (let b = 0; b < 6; b++) {
    for (let s = 0; s < 3; s++) pipe.addComponent(`b${b}_${s}`, new Inc());
    pipe.connect("source", `b${b}_0`).connect(`b${b}_0`, `b${b}_1`).connect(`b${b}_1`, `b${b}_2`).connect(`b${b}_2`, "join.values");
  }
  return pipe;
}
