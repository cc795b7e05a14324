import { inspect } from "node:util";
import { AsyncPipeline, Pipeline } from "../../lib/haystack";
import { AddValue, Sum, Threshold } from "./test-components";

describe("Pipeline printed", () => {
  it("lists metadata, components and connections in the lines of Haystack's Pipeline.__repr__", () => {
    const pipe = new Pipeline({ metadata: { name: "numbers", owner: { team: "search" } } });
    pipe
      .addComponent("first", new AddValue())
      .addComponent("gate", new Threshold({ limit: 5 }))
      .addComponent("total", new Sum());
    pipe.connect("first.value", "gate.value").connect("gate.small", "total.values").connect("gate.big", "total.values");
    const expected = [
      "Pipeline",
      "🧱 Metadata",
      "  - name: numbers",
      "  - owner: { team: 'search' }",
      "🚅 Components",
      "  - first: AddValue",
      "  - gate: Threshold",
      "  - total: Sum",
      "🛤️ Connections",
      "  - first.value -> gate.value (int)",
      "  - gate.small -> total.values (int)",
      "  - gate.big -> total.values (int)",
    ].join("\n");
    expect(inspect(pipe)).toBe(expected);
    expect(String(pipe)).toBe(expected);
  });

  it("lists connections by sender in component order, then by receiver, as networkx does", () => {
    const pipe = new Pipeline();
    pipe.addComponent("a", new AddValue()).addComponent("b", new AddValue()).addComponent("c", new Sum());
    pipe.connect("a.value", "c.values").connect("b.value", "c.values").connect("a.value", "b.value");
    expect(String(pipe).split("🛤️ Connections\n")[1]).toBe(
      ["  - a.value -> c.values (int)", "  - a.value -> b.value (int)", "  - b.value -> c.values (int)"].join("\n"),
    );
  });

  it("prints an empty pipeline's headings, without metadata, and names AsyncPipeline", () => {
    expect(String(new Pipeline())).toBe("Pipeline\n🚅 Components\n🛤️ Connections");
    expect(inspect(new AsyncPipeline())).toBe("AsyncPipeline\n🚅 Components\n🛤️ Connections");
  });
});
