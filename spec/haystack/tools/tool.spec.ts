import { component, ComponentTool, Tool, ToolInvocationError, Toolset } from "../../../lib/haystack";

const add = new Tool({
  name: "add",
  description: "Adds two numbers",
  parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
  function: ({ a, b }) => Number(a) + Number(b),
});

@component({
  inputs: { query: "str", topK: { type: "int", default: 3 }, filters: { type: "dict", optional: true }, tags: "list[str]" },
  outputs: { documents: "list[str]" },
})
class WebSearch {
  run({ query, topK = 3 }: { query: string; topK?: number }) {
    return { documents: Array.from({ length: topK }, (_, i) => `${query} #${i + 1}`) };
  }
}

describe("Tool", () => {
  it("takes a function typed with its own argument shape (checked by the compiler) and calls it with the arguments", async () => {
    const weather = new Tool({
      name: "weather",
      description: "Weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      function: ({ city }: { city: string }) => `sunny in ${city}`,
    });
    await expect(weather.invoke({ city: "Paris" })).resolves.toBe("sunny in Paris");
  });

  it("validates arguments against its JSON Schema before running (Ajv, draft 2020-12)", async () => {
    await expect(add.invoke({ a: 1, b: 2 })).resolves.toBe(3);
    const bad = add.invoke({ a: 1, b: "two" });
    await expect(bad).rejects.toBeInstanceOf(ToolInvocationError);
    await expect(bad).rejects.toThrow("Invalid arguments for Tool `add`: arguments/b must be number.");
  });

  it("wraps what the function throws, worded as Haystack, with the original on cause", async () => {
    const boom = new Error("boom");
    const failing = new Tool({ name: "fail", description: "", parameters: { type: "object" }, function: () => Promise.reject(boom) });
    const run = failing.invoke({ x: [1, true, null] });
    await expect(run).rejects.toThrow("Failed to invoke Tool `fail` with parameters {'x': [1, True, None]}. Error: boom");
    await expect(run).rejects.toMatchObject({ toolName: "fail", cause: boom });
  });

  it("refuses an invalid schema, a bad name or a missing function when it is made", () => {
    const base = { name: "t", description: "d", parameters: { type: "object" }, function: () => 1 };
    expect(() => new Tool({ ...base, parameters: { type: "objekt" } })).toThrow(/Tool 't': parameters is not a valid JSON Schema/);
    expect(() => new Tool({ ...base, parameters: null as never })).toThrow(/Tool 't': parameters must be a JSON Schema object .*, got null\.$/);
    expect(() => new Tool({ ...base, parameters: [] as never })).toThrow(/, got an empty array\.$/);
    expect(() => new Tool({ ...base, name: "has space" })).toThrow(/Tool name must be 1–64 letters/);
    expect(() => new Tool({ ...base, function: undefined as never })).toThrow(/function must be a function/);
  });
});

describe("Tool.toDict / Toolset.toDict", () => {
  it("give Haystack's { type, data } shape, naming functions rather than serializing them", () => {
    const set = new Toolset([add, new ComponentTool({ component: new WebSearch(), name: "search", description: "Search" })]);
    const dict = set.toDict();
    expect(dict.type).toBe("haystack.tools.toolset.Toolset");
    expect(dict.data.tools.map((t) => t.type)).toEqual(["haystack.tools.tool.Tool", "haystack.tools.component_tool.ComponentTool"]);
    expect(dict.data.tools[0]!.data).toEqual({
      name: "add",
      description: "Adds two numbers",
      parameters: add.parameters,
      function: "function",
      outputs_to_string: null,
      inputs_from_state: null,
      outputs_to_state: null,
    });
  });
});

describe("ComponentTool", () => {
  it("derives the parameters schema from the component's input sockets and runs the component", async () => {
    const tool = new ComponentTool({ component: new WebSearch() });
    expect(tool.name).toBe("web_search");
    expect(tool.parameters).toEqual({
      type: "object",
      properties: {
        query: { type: "string", description: "Input 'query' for the component." },
        topK: { type: "integer", default: 3, description: "Input 'topK' for the component." },
        filters: { type: "object", description: "Input 'filters' for the component." },
        tags: { type: "array", items: { type: "string" }, description: "Input 'tags' for the component." },
      },
      required: ["query", "tags"],
    });
    await expect(tool.invoke({ query: "mlflow", topK: 2, tags: [] })).resolves.toEqual({ documents: ["mlflow #1", "mlflow #2"] });
    await expect(tool.invoke({ query: "mlflow" })).rejects.toThrow(/must have required property 'tags'/);
  });

  it("refuses something that is not a component", () => {
    expect(() => new ComponentTool({ component: {} })).toThrow(/decorate its class with @component/);
  });
});

describe("Toolset", () => {
  it("groups tools, iterates them and refuses duplicate names", () => {
    const set = new Toolset([add]);
    set.add(new ComponentTool({ component: new WebSearch(), name: "search", description: "Search" }));
    expect([...set].map((t) => t.name)).toEqual(["add", "search"]);
    expect(() => set.add(add)).toThrow(/Duplicate tool names found: add/);
    expect(set.length).toBe(2);
  });
});
