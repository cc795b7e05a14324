/**
 * TypeScript twins of the components the scenarios translated from Haystack's own run-order tests
 * (test/core/pipeline/features/test_run.py) use: the sample components of `haystack.testing`,
 * `BranchJoiner`, and the helpers spec/support/python/haystack_scenarios.py defines for them and
 * for the cases taken from test/core/pipeline/test_pipeline.py.
 * Same socket names, types, defaults and behaviour as the Python classes.
 */
import { component, setInputTypes, setOutputTypes } from "../../lib/haystack/component";
import { Document } from "../../lib/haystack/document";

@component({ inputs: { value: "int", add: { type: "int|None", default: null } }, outputs: { result: "int" }, type: "AddFixedValue" })
class AddFixedValue {
  constructor(readonly init: { add?: number }) {}
  run({ value, add }: { value: number; add: number | null }) {
    return { result: value + (add ?? this.init.add ?? 1) };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" }, type: "Double" })
class Double {
  run({ value }: { value: number }) {
    return { value: value * 2 };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int", original: "int" }, type: "DoubleWithOriginal" })
class DoubleWithOriginal {
  run({ value }: { value: number }) {
    return { value: value * 2, original: value };
  }
}

@component({ inputs: { value: "int" }, outputs: { even: "int", odd: "int" }, type: "Parity" })
class Parity {
  run({ value }: { value: number }) {
    return value % 2 === 0 ? { even: value } : { odd: value };
  }
}

@component({ inputs: { value: "int" }, type: "Repeat" })
class Repeat {
  constructor(readonly init: { outputs: string[] }) {
    setOutputTypes(this, Object.fromEntries(init.outputs.map((name) => [name, "int"])));
  }
  run({ value }: { value: number }) {
    return Object.fromEntries(this.init.outputs.map((name) => [name, value]));
  }
}

@component({ inputs: { value: "int" }, type: "Remainder" })
class Remainder {
  constructor(readonly init: { divisor: number }) {
    setOutputTypes(this, Object.fromEntries(Array.from({ length: init.divisor }, (_, i) => [`remainder_is_${i}`, "int"])));
  }
  run({ value }: { value: number }) {
    return { [`remainder_is_${value % this.init.divisor}`]: value };
  }
}

@component({ inputs: { first_value: "int", second_value: "int" }, outputs: { difference: "int" }, type: "Subtract" })
class Subtract {
  run(inputs: { first_value: number; second_value: number }) {
    return { difference: inputs.first_value - inputs.second_value };
  }
}

@component({ inputs: { values: { type: "int", variadic: "lazy" } }, outputs: { total: "int" }, type: "Sum" })
class Sum {
  run({ values }: { values: number[] }) {
    return { total: values.reduce((a, b) => a + b, 0) };
  }
}

@component({ inputs: { value: "int", threshold: { type: "int|None", default: null } }, outputs: { above: "int", below: "int" }, type: "SampleThreshold" })
class SampleThreshold {
  constructor(readonly init: { threshold?: number }) {}
  run({ value, threshold }: { value: number; threshold: number | null }) {
    return value < (threshold ?? this.init.threshold ?? 10) ? { below: value } : { above: value };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" }, type: "Accumulate" })
class Accumulate {
  #state = 0;
  run({ value }: { value: number }) {
    this.#state += value;
    return { value: this.#state };
  }
}

@component({
  inputs: { value: "int", message: { type: "str|None", default: null }, log_level: { type: "str|None", default: null } },
  outputs: { value: "int" },
  type: "Greet",
})
class Greet {
  run({ value }: { value: number }) {
    return { value };
  }
}

@component({ outputs: { value: "any" }, type: "BranchJoiner" })
class BranchJoiner {
  constructor(init: { type: string }) {
    setInputTypes(this, { value: { type: init.type, variadic: "greedy" } });
    setOutputTypes(this, { value: init.type });
  }
  run({ value }: { value: unknown[] }) {
    return { value: value[0] };
  }
}

@component({ inputs: { a: "int", b: { type: "int", default: 2 } }, outputs: { b: "int" }, type: "WithDefault" })
class WithDefault {
  run({ a, b }: { a: number; b: number }): Record<string, number> {
    return { c: a + b };
  }
}

@component({ inputs: { query: "str" }, type: "RouteIf" })
class RouteIf {
  constructor(readonly init: { equals: string; then: string; otherwise: string }) {
    setOutputTypes(this, { [init.then]: "str", [init.otherwise]: "str" });
  }
  run({ query }: { query: string }) {
    return { [query === this.init.equals ? this.init.then : this.init.otherwise]: query };
  }
}

@component({ inputs: { number: "int" }, outputs: { big_number: "int", small_number: "int" }, type: "RouteInt" })
class RouteInt {
  run({ number }: { number: number }) {
    return number > 2 ? { big_number: number } : { small_number: number + 2 };
  }
}

@component({ inputs: { streams: "list[int]", query: "str" }, outputs: { query: "str", streams: "list[int]" }, type: "RouteStreams" })
class RouteStreams {
  run({ streams, query }: { streams: number[]; query: string }) {
    return streams.length < 2 ? { query } : { streams };
  }
}

@component({ inputs: { streams: "list[int]", query: "str" }, outputs: { payload: "any" }, type: "PayloadBuilder" })
class PayloadBuilder {
  run({ streams, query }: { streams: number[]; query: string }) {
    return { payload: { streams, query } };
  }
}

@component({ inputs: { a: "int" }, outputs: { b: "int" }, type: "NotADict" })
class NotADict {
  run(): unknown {
    return 1;
  }
}

@component({ inputs: { prompt: "str" }, outputs: { replies: "list[str]" }, type: "StaticReplies" })
class StaticReplies {
  run() {
    return { replies: ["This is a valid reply"] };
  }
}

@component({
  inputs: { replies: "list[str]" },
  outputs: { valid_replies: "list[str]", invalid_replies: "list[str]", error_message: "str" },
  type: "OutputValidator",
})
class OutputValidator {
  #called = false;
  run({ replies }: { replies: string[] }) {
    if (this.#called) return { valid_replies: replies };
    this.#called = true;
    return { invalid_replies: ["This is an invalid reply"], error_message: "this is an error message" };
  }
}

@component({ outputs: { response: "any" }, type: "Parrot" })
class Parrot {
  constructor(readonly init: { input_variable: string; variadic?: boolean }) {
    const spec = { type: "str", default: "Parrot doesn't only parrot!", ...(init.variadic === true ? { variadic: "lazy" as const } : {}) };
    setInputTypes(this, { [init.input_variable]: spec });
  }
  run(inputs: Record<string, unknown>) {
    return { response: inputs[this.init.input_variable] };
  }
}

@component({ inputs: { text: "str|None" }, outputs: { value: "str|None" }, type: "Producer" })
class Producer {
  constructor(readonly init: { prefix: string }) {}
  run({ text }: { text: string | null }) {
    return { value: `${this.init.prefix}: ${text ?? "None"}` };
  }
}

@component({ inputs: { sources: "list[str]" }, outputs: {}, type: "EmptyProcessor" })
class EmptyProcessor {
  run() {
    return {};
  }
}

@component({ inputs: { input_a: "str|None", input_b: "str|None" }, outputs: { combined: "str" }, type: "Combiner" })
class Combiner {
  run(inputs: { input_a: string | null; input_b: string | null }) {
    return { combined: `${inputs.input_a ?? ""} | ${inputs.input_b ?? ""}` };
  }
}

@component({ inputs: {}, outputs: { doc: "Document" }, type: "DocProducer" })
class DocProducer {
  run() {
    return { doc: new Document({ content: "original" }) };
  }
}

@component({ inputs: { doc: "Document" }, outputs: { doc: "Document" }, type: "DocMutator" })
class DocMutator {
  run({ doc }: { doc: Document }) {
    doc.content = "mutated";
    return { doc };
  }
}

@component({ inputs: {}, outputs: { text: "str" }, type: "StringProducer" })
class StringProducer {
  constructor(readonly init: { value: string }) {}
  run() {
    return { text: this.init.value };
  }
}

@component({ inputs: {}, outputs: { texts: "list[str]" }, type: "ListStrProducer" })
class ListStrProducer {
  constructor(readonly init: { values: string[] }) {}
  run() {
    return { texts: this.init.values };
  }
}

@component({ inputs: { texts: "list[str]" }, outputs: { result: "list[str]" }, type: "ListStrAcceptor" })
class ListStrAcceptor {
  run({ texts }: { texts: string[] }) {
    return { result: texts };
  }
}

/** The twins by the kind name the Python scenarios record. */
export const FEATURE_CLASSES: Record<string, new (init: never) => object> = {
  AddFixedValue,
  Double,
  DoubleWithOriginal,
  Parity,
  Repeat,
  Remainder,
  Subtract,
  Sum,
  SampleThreshold,
  Accumulate,
  Greet,
  BranchJoiner,
  WithDefault,
  RouteIf,
  RouteInt,
  RouteStreams,
  PayloadBuilder,
  NotADict,
  StaticReplies,
  OutputValidator,
  Parrot,
  Producer,
  EmptyProcessor,
  Combiner,
  DocProducer,
  DocMutator,
  StringProducer,
  ListStrProducer,
  ListStrAcceptor,
};
