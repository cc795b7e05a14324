import { configureTracing, getLastActiveTrace, startSpan } from "../../lib/index";
import { toJsonSafe } from "../../lib/tracing/serialize";

const limits = { maxStringLength: 50, maxDepth: 4, maxCollectionItems: 3 };

describe("serialization of inputs, outputs and attributes", () => {
  it("turns awkward values into readable JSON without throwing", () => {
    const circular: Record<string, unknown> = { name: "loop" };
    circular["self"] = circular;
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      get sum(): number {
        return this.x + this.y;
      }
    }
    const throwing = Object.defineProperty({}, "bad", {
      enumerable: true,
      get: () => {
        throw new Error("nope");
      },
    });
    const value = {
      circular,
      big: 12345678901234567890n,
      small: 42n,
      map: new Map<unknown, unknown>([
        ["a", 1],
        [2, "b"],
      ]),
      set: new Set([1, 2]),
      date: new Date("2026-01-02T03:04:05.000Z"),
      buffer: Buffer.from("hello"),
      floats: new Float32Array([0.5, 1.5]),
      point: new Point(1, 2),
      fn: function namedFn() {},
      sym: Symbol("tag"),
      nan: Number.NaN,
      undef: undefined,
      throwing,
    };
    const safe = toJsonSafe(value, { maxStringLength: 1000, maxDepth: 10, maxCollectionItems: 100 }) as Record<string, unknown>;
    expect(safe).toEqual({
      circular: { name: "loop", self: "[Circular]" },
      big: "12345678901234567890",
      small: 42,
      map: { a: 1, "2": "b" },
      set: [1, 2],
      date: "2026-01-02T03:04:05.000Z",
      buffer: "[Buffer: 5 bytes]",
      floats: [0.5, 1.5],
      point: { x: 1, y: 2 },
      fn: "[Function namedFn]",
      sym: "Symbol(tag)",
      nan: "NaN",
      throwing: { bad: "[Getter threw: Error: nope]" },
    });
    expect(() => JSON.stringify(safe)).not.toThrow();
  });

  it("keeps shared (non-circular) references", () => {
    const shared = { v: 1 };
    expect(toJsonSafe({ a: shared, b: shared }, limits)).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it("serializes errors with name, message, stack and cause", () => {
    const err = new Error("outer", { cause: new TypeError("inner") });
    const safe = toJsonSafe(err, { maxStringLength: 10_000, maxDepth: 5, maxCollectionItems: 10 }) as Record<string, unknown>;
    expect(safe["name"]).toBe("Error");
    expect(safe["message"]).toBe("outer");
    expect(String(safe["stack"])).toContain("outer");
    expect((safe["cause"] as Record<string, unknown>)["message"]).toBe("inner");
  });

  it("bounds strings, depth and collections with markers saying what was dropped", () => {
    const safe = toJsonSafe({ s: "x".repeat(60), deep: { a: { b: { c: { d: 1 } } } }, list: [1, 2, 3, 4, 5] }, limits) as Record<string, unknown>;
    expect(safe["s"]).toBe(`${"x".repeat(50)}...[truncated 10 of 60 chars]`);
    expect(safe["deep"]).toEqual({ a: { b: { c: "[Object]" } } });
    expect(safe["list"]).toEqual([1, 2, 3, "...[2 more items]"]);
  });

  it("copies a record's own enumerable keys in order and says how many were left out", () => {
    const five = { e: 5, a: 1, 2: "two", d: undefined, c: 3 };
    expect(toJsonSafe({ r: five }, limits)).toEqual({ r: { 2: "two", e: 5, a: 1, "...": "[2 more keys]" } });
    expect(Object.keys((toJsonSafe({ r: { b: 1, a: 2, 1: 3 } }, limits) as Record<string, object>)["r"]!)).toEqual(["1", "b", "a"]);
    expect(toJsonSafe({ r: five }, limits, 12)).toEqual({ r: { 2: "...[truncated 3 of 3 chars]", "...": "[4 more keys: size cap reached]" } });
    expect(toJsonSafe({ a: "x".repeat(20), b: 1, c: [2] }, limits, 30)).toEqual({ a: "x".repeat(20), b: 1, "...": "[1 more keys: size cap reached]" });
    // A list cut by the size budget ends with its marker, nothing after it.
    const list = toJsonSafe(["a".repeat(20), "b".repeat(20), "c".repeat(20)], limits, 30);
    expect(list).toEqual(["a".repeat(20), "bbbbb...[truncated 15 of 20 chars]", "...[1 more items: size cap reached]"]);
    expect(toJsonSafe(new Set([1, 2, 3, 4]), limits)).toEqual([1, 2, 3, "...[1 more items]"]);
  });

  it("leaves out enumerable keys a record inherits", () => {
    function Legacy(this: { own: number }): void {
      this.own = 1;
    }
    (Legacy.prototype as Record<string, unknown>)["method"] = () => "inherited";
    const instance = new (Legacy as unknown as new () => object)();
    const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
    child["own"] = 2;
    expect(toJsonSafe(instance, limits)).toEqual({ own: 1 });
    expect(toJsonSafe({ wrap: child }, limits)).toEqual({ wrap: { own: 2 } });
  });

  it("cuts a 5 MB string by default and never throws on a proxy that throws", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    startSpan({ name: "huge", inputs: { text: "y".repeat(5_000_000), hostile } }, () => undefined);
    const inputs = getLastActiveTrace()!.data.spans[0]!.inputs as Record<string, string>;
    expect(inputs["text"]!.length).toBeLessThan(1_100_000);
    expect(inputs["text"]).toMatch(/\.\.\.\[truncated 4000000 of 5000000 chars\]$/);
    expect(inputs["hostile"]).toBe("[Unserializable: Error: trap]");
  });

  it("honours configured limits", () => {
    configureTracing({ maxStringLength: 10 });
    try {
      startSpan({ name: "limited", inputs: "abcdefghijklmnop" }, () => undefined);
      expect(getLastActiveTrace()!.data.spans[0]!.inputs).toBe("abcdefghij...[truncated 6 of 16 chars]");
    } finally {
      configureTracing({ maxStringLength: 1_000_000 });
    }
  });
});

describe("limits on a flat record of primitives (the common case, copied without the walker)", () => {
  const flat = { a: 1, b: "two", c: true, d: 4, e: "five" };

  it("cuts its keys at maxCollectionItems with the walker's marker, as it does one level down", () => {
    const top = toJsonSafe(flat, limits);
    expect(top).toEqual({ a: 1, b: "two", c: true, "...": "[2 more keys]" });
    expect(top).toEqual((toJsonSafe({ nested: flat }, limits) as Record<string, unknown>)["nested"]);
  });

  it("is cut by maxValueLength exactly as the walker cuts it one level down (numbers, masked and redacted text too)", () => {
    const records = [
      { a: 1, b: 2, c: 3, d: 4 },
      { token: "a-long-secret-value-here", b: true, c: undefined },
      { url: "postgres://user:a-long-password@host/db", n: 5 },
      { a: "x", b: undefined, c: undefined },
    ];
    const wide = { ...limits, maxCollectionItems: 100, maxStringLength: 1000 };
    for (const record of records) {
      for (let max = 1; max <= 80; max++) {
        const bounded = { ...wide, maxValueLength: max + 11 }; // the outer {} and "nested" key take 11
        const nested = (toJsonSafe({ nested: record }, bounded) as Record<string, unknown>)["nested"];
        expect([max, toJsonSafe(record, { ...wide, maxValueLength: max })]).toEqual([max, nested]);
      }
    }
  });

  it("keeps it as [Object] at maxDepth 0", () => {
    expect(toJsonSafe(flat, { ...limits, maxDepth: 0 })).toBe("[Object]");
    expect(toJsonSafe({ x: 1 }, { ...limits, maxDepth: 1 })).toEqual({ x: 1 });
  });
});

describe("secrets in traced values", () => {
  it("masks strings under secret-named keys, in plain objects and class instances, and URL credentials", () => {
    class Client {
      readonly options = { apiKey: "sk-LEAKED", baseURL: "https://user:hunter2@api.example/v1", timeout: 5 };
      constructor(readonly name: string) {}
    }
    startSpan({ name: "secrets", inputs: { client: new Client("c"), password: "p", apiKeys: ["k1", "k2"], max_tokens: 5 } }, () => ({ accessToken: "t" }));
    const json = JSON.stringify(getLastActiveTrace()!.toJSON());
    for (const leaked of ["sk-LEAKED", "hunter2", '"p"', "k1", '"t"']) expect(json).not.toContain(leaked);
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.inputs).toMatchObject({
      client: { options: { apiKey: "**********", baseURL: "https://user:***@api.example/v1", timeout: 5 }, name: "c" },
      password: "**********",
      apiKeys: "**********",
      max_tokens: 5,
    });
    expect(span.outputs).toEqual({ accessToken: "**********" });
  });
});
