/**
 * Runs twice: with TC39 standard decorators and with legacy `experimentalDecorators`.
 */
import { component, getComponentInfo, isComponent, setInputTypes } from "../../lib/haystack/component";
import { lookupComponentClass } from "../../lib/haystack/component-registry";

@component({ inputs: ["a", "b"], outputs: ["sum"] })
class DecoAdder {
  run({ a, b }: { a: number; b: number }): { sum: number } {
    return { sum: a + b };
  }
}

@component({ inputs: { text: "str" }, outputs: { upper: "str" }, type: "spec.DecoAsyncUpper", spanType: "PARSER" })
class DecoAsyncUpper {
  static readonly label = "upper";
  constructor(readonly options: { suffix?: string } = {}) {}
  async run({ text }: { text: string }): Promise<{ upper: string }> {
    return { upper: text.toUpperCase() + (this.options.suffix ?? "") };
  }
}

@component({ inputs: { base: "str" }, outputs: { out: "str" } })
class DecoDynamic {
  constructor(options: { extra: string[] }) {
    setInputTypes(this, Object.fromEntries(options.extra.map((name) => [name, { type: "any", default: "" }])));
  }
  run(inputs: Record<string, unknown>): { out: string } {
    return { out: JSON.stringify(inputs) };
  }
}

@component({ inputs: { value: "int" }, outputs: { value: "int" }, type: "spec.DecoChild" })
class DecoChild extends DecoAsyncUpper {
  constructor() {
    super({ suffix: "!" });
  }
}

class UndecoratedGrandChild extends DecoChild {}

describe("@component decorator (compiled in this TypeScript decorator mode)", () => {
  it("makes instances components with the declared sockets", () => {
    const adder = new DecoAdder();
    expect(isComponent(adder)).toBe(true);
    const info = getComponentInfo(adder);
    expect([...info.inputs.values()]).toEqual([
      { name: "a", type: "any", mandatory: true, hasDefault: false },
      { name: "b", type: "any", mandatory: true, hasDefault: false },
    ]);
    expect([...info.outputs.keys()]).toEqual(["sum"]);
    expect(info.type).toBe("DecoAdder");
    expect(adder.run({ a: 2, b: 3 })).toEqual({ sum: 5 });
  });

  it("keeps the class name, statics, instanceof and constructor arguments", async () => {
    const upper = new DecoAsyncUpper({ suffix: "?" });
    expect(DecoAsyncUpper.name).toBe("DecoAsyncUpper");
    expect(DecoAsyncUpper.label).toBe("upper");
    expect(upper).toBeInstanceOf(DecoAsyncUpper);
    expect(upper.constructor).toBe(DecoAsyncUpper);
    await expect(upper.run({ text: "hi" })).resolves.toEqual({ upper: "HI?" });
    const info = getComponentInfo(upper);
    expect(info).toMatchObject({ type: "spec.DecoAsyncUpper", className: "DecoAsyncUpper", spanType: "PARSER" });
    expect(info.initParameters).toEqual({ suffix: "?" });
  });

  it("registers the class under its type for fromDict", () => {
    expect(lookupComponentClass("spec.DecoAsyncUpper")).toBe(DecoAsyncUpper);
  });

  it("adds sockets created in the constructor with setInputTypes", () => {
    const info = getComponentInfo(new DecoDynamic({ extra: ["question", "context"] }));
    expect([...info.inputs.keys()]).toEqual(["base", "question", "context"]);
    expect(info.inputs.get("question")).toMatchObject({ mandatory: false, default: "" });
  });

  it("rejects a class without run() at compile time and at decoration time", () => {
    expect(() => {
      // @ts-expect-error a component class needs a run() method
      @component({ outputs: ["x"] })
      class NotAComponent {
        go(): void {}
      }
      return NotAComponent;
    }).toThrow(/NotAComponent must have a run\(\) method/);
  });

  it("uses the most derived decorated class's declaration for subclasses", () => {
    const child = new DecoChild();
    expect(getComponentInfo(child)).toMatchObject({ type: "spec.DecoChild", className: "DecoChild" });
    expect([...getComponentInfo(child).inputs.keys()]).toEqual(["value"]);
    const grand = new UndecoratedGrandChild();
    expect(isComponent(grand)).toBe(true);
    expect(getComponentInfo(grand).type).toBe("spec.DecoChild");
  });
});
