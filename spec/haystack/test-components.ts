/** Small components shared by the pipeline specs. `log` records run order. */
import { component } from "../../lib/haystack/component";

export const log: string[] = [];

@component({ inputs: { value: "int", add: { type: "int", default: 1 } }, outputs: { value: "int" }, type: "spec.AddValue" })
export class AddValue {
  constructor(readonly options: { label?: string } = {}) {}
  run({ value, add }: { value: number; add: number }): { value: number } {
    log.push(this.options.label ?? "add");
    return { value: value + add };
  }
}

@component({ inputs: { value: "int" }, outputs: { small: "int", big: "int" }, type: "spec.Threshold" })
export class Threshold {
  constructor(readonly options: { limit: number }) {}
  run({ value }: { value: number }): { small?: number; big?: number } {
    log.push("threshold");
    return value < this.options.limit ? { small: value } : { big: value };
  }
}

@component({ inputs: { value: { type: "int", variadic: "greedy" } }, outputs: { value: "int" }, type: "spec.FirstValue" })
export class FirstValue {
  run({ value }: { value: number[] }): { value: number } {
    log.push("first");
    return { value: value[0]! };
  }
}

@component({ inputs: { values: { type: "int", variadic: "lazy" } }, outputs: { total: "int" }, type: "spec.Sum" })
export class Sum {
  run({ values }: { values: number[] }): { total: number } {
    log.push("sum");
    return { total: values.reduce((a, b) => a + b, 0) };
  }
}

@component({
  inputs: { query: "str", top_k: { type: "int", default: 2 } },
  outputs: { documents: "Document[]" },
  type: "spec.FakeRetriever",
  spanType: "RETRIEVER",
})
export class FakeRetriever {
  run({ query, top_k }: { query: string; top_k: number }): { documents: string[] } {
    log.push("retriever");
    return { documents: [`${query}#1`, `${query}#2`, `${query}#3`].slice(0, top_k) };
  }
}

@component({ inputs: { documents: "any", question: { type: "any", default: "" } }, outputs: { prompt: "str" }, type: "spec.FakePromptBuilder" })
export class FakePromptBuilder {
  run({ documents, question }: { documents: string[]; question: string }): { prompt: string } {
    log.push("prompt_builder");
    return { prompt: `${question}: ${documents.join(",")}` };
  }
}

@component({
  inputs: { prompt: "str", system_prompt: { type: "str|None", default: null } },
  outputs: { replies: "str[]", meta: "dict[]" },
  type: "spec.FakeGenerator",
  spanType: "LLM",
})
export class FakeGenerator {
  async run({ prompt }: { prompt: string }): Promise<{ replies: string[]; meta: object[] }> {
    log.push("llm");
    return { replies: [`reply to ${prompt}`], meta: [{ model: "fake" }] };
  }
}

@component({ inputs: ["text"], outputs: ["text"], type: "spec.Fail" })
export class Fail {
  run(): never {
    log.push("fail");
    throw new RangeError("boom");
  }
}

/** Resolves after `ms` and records start/end times in `timeline`. */
@component({ inputs: { value: "int" }, outputs: { value: "int" }, type: "spec.Sleep" })
export class Sleep {
  static timeline: { name: string; start: number; end: number }[] = [];
  constructor(readonly options: { ms: number; name: string }) {}
  async runAsync({ value }: { value: number }): Promise<{ value: number }> {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, this.options.ms));
    Sleep.timeline.push({ name: this.options.name, start, end: performance.now() });
    return { value };
  }
  run({ value }: { value: number }): Promise<{ value: number }> {
    return this.runAsync({ value });
  }
}
