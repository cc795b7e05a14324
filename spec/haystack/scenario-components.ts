/**
 * TypeScript twins of the components in spec/support/python/haystack_scenarios.py: same class
 * names, socket names, types, defaults and behaviour, so a scenario recorded in Python builds the
 * same pipeline here. `seen` records what a Mutator's scratch list held while it ran.
 */
import { component } from "../../lib/haystack/component";
import { InMemoryBM25Retriever } from "../../lib/haystack/components/in-memory-bm25-retriever";
import { PromptBuilder } from "../../lib/haystack/components/prompt-builder";
import { Document } from "../../lib/haystack/document";
import { InMemoryDocumentStore } from "../../lib/haystack/document-store/in-memory-document-store";
import { FEATURE_CLASSES } from "./feature-components";

export const seen: string[][] = [];

@component({ inputs: { value: "int", extra: { type: "int", default: 0 } }, outputs: { value: "int" }, type: "AddValue" })
class AddValue {
  constructor(readonly init: { add?: number }) {}
  run({ value, extra }: { value: number; extra: number }) {
    return { value: value + (this.init.add ?? 1) + extra };
  }
}

@component({ inputs: { value: "int" }, outputs: { below: "int", above: "int" }, type: "Threshold" })
class Threshold {
  constructor(readonly init: { limit: number }) {}
  run({ value }: { value: number }) {
    return value < this.init.limit ? { below: value } : { above: value };
  }
}

@component({ inputs: { value: { type: "int", variadic: "greedy" } }, outputs: { value: "int" }, type: "GreedyJoin" })
class GreedyJoin {
  run({ value }: { value: number[] }) {
    return { value: value[0] };
  }
}

@component({ inputs: { values: { type: "int", variadic: "lazy" } }, outputs: { total: "int" }, type: "LazySum" })
class LazySum {
  run({ values }: { values: number[] }) {
    return { total: values.reduce((a, b) => a + b, 0) };
  }
}

@component({ inputs: { prefix: "str" }, outputs: { items: "list[str]" }, type: "ListSource" })
class ListSource {
  constructor(readonly init: { items: string[] }) {}
  run({ prefix }: { prefix: string }) {
    return { items: this.init.items.map((item) => prefix + item) };
  }
}

@component({ inputs: { items: "list[str]" }, outputs: { items: "list[str]", count: "int" }, type: "ListCollect" })
class ListCollect {
  run({ items }: { items: string[] }) {
    return { items, count: items.length };
  }
}

@component({ inputs: { items: "list[str]", scratch: { type: "list[str]|None", default: null } }, outputs: { items: "list[str]" }, type: "Mutator" })
class Mutator {
  constructor(readonly init: { tag: string }) {}
  run({ items, scratch }: { items: string[]; scratch: string[] | null }) {
    items.push(this.init.tag);
    if (scratch !== null) {
      scratch.push(this.init.tag);
      seen.push([...scratch]);
    }
    return { items };
  }
}

@component({ inputs: { items: { type: "list[str]", variadic: "greedy" } }, outputs: { items: "list[str]" }, type: "ListJoin" })
class ListJoin {
  run({ items }: { items: string[][] }) {
    return { items: items[0] };
  }
}

@component({ inputs: { items: "list[str]" }, outputs: { short: "list[str]", long: "list[str]" }, type: "LengthCheck" })
class LengthCheck {
  constructor(readonly init: { limit: number }) {}
  run({ items }: { items: string[] }) {
    return items.length < this.init.limit ? { short: items } : { long: items };
  }
}

@component({ inputs: { text: "str" }, outputs: { text: "str" }, type: "TextOut" })
class TextOut {
  run({ text }: { text: string }) {
    return { text };
  }
}

@component({ inputs: { text: "str" }, outputs: { words: "list[str]" }, type: "WordsOut" })
class WordsOut {
  run({ text }: { text: string }) {
    return { words: text.split(/\s+/).filter((w) => w !== "") };
  }
}

@component({ inputs: { n: "int" }, outputs: { numbers: "list[int]" }, type: "NumbersOut" })
class NumbersOut {
  run({ n }: { n: number }) {
    return { numbers: [n] };
  }
}

@component({ inputs: { n: "int" }, outputs: { n: "int" }, type: "IntIn" })
class IntIn {
  run({ n }: { n: number }) {
    return { n };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" }, type: "Fail" })
class Fail {
  run(): never {
    throw new RangeError("boom");
  }
}

@component({ inputs: { x: "int" }, outputs: { y: "int" }, type: "Extra" })
class Extra {
  run({ x }: { x: number }): Record<string, number> {
    return { y: x, extra: x + 1 };
  }
}

@component({ inputs: { a: "int", b: { type: "int|None", default: null } }, outputs: { total: "int" }, type: "OptionalSum" })
class OptionalSum {
  run({ a, b }: { a: number; b: number | null }) {
    return { total: a + (b ?? 0) };
  }
}

const CLASSES: Record<string, new (init: never) => object> = {
  AddValue,
  Threshold,
  GreedyJoin,
  LazySum,
  ListSource,
  ListCollect,
  Mutator,
  ListJoin,
  LengthCheck,
  TextOut,
  WordsOut,
  NumbersOut,
  IntIn,
  Fail,
  Extra,
  OptionalSum,
  ...FEATURE_CLASSES,
};

/** Builds the twin of a recorded `[kind, init]`; Haystack's own components map their snake_case options. */
export function makeComponent(kind: string, init: Record<string, unknown>, corpus: { id: string; content: string }[]): object {
  if (kind === "PromptBuilder") {
    const { template, required_variables } = init as { template: string; required_variables?: string[] | "*" | null };
    return new PromptBuilder(required_variables === undefined ? { template } : { template, requiredVariables: required_variables });
  }
  if (kind === "InMemoryBM25Retriever") {
    const documentStore = new InMemoryDocumentStore();
    documentStore.writeDocuments(corpus.map((d) => new Document(d)));
    return new InMemoryBM25Retriever({ documentStore, topK: init["top_k"] as number });
  }
  const Class = CLASSES[kind];
  if (Class === undefined) throw new Error(`no TypeScript twin for scenario component ${kind}`);
  return new Class(init as never);
}
