import { getLastActiveTrace, startSpan, traced, tracing } from "../../lib/index";

describe("traced(fn)", () => {
  it("wraps a plain function keeping this, name and length", () => {
    const obj = {
      factor: 3,
      scale: traced(function scale(this: { factor: number }, value: number) {
        return value * this.factor;
      }),
    };
    expect(obj.scale(2)).toBe(6);
    expect(obj.scale.name).toBe("scale");
    expect(obj.scale.length).toBe(1);
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "scale", inputs: { value: 2 }, outputs: 6 });
  });

  it("names rest and extra arguments", () => {
    const f = traced((first: string, ...rest: number[]) => rest.length + first.length, { name: "rest" });
    f("ab", 1, 2);
    expect(getLastActiveTrace()!.data.spans[0]!.inputs).toEqual({ first: "ab", rest: [1, 2] });
  });

  it("rethrows the same error from a rejected async function and records it", async () => {
    const err = new RangeError("out of range");
    const f = traced(async function failing() {
      throw err;
    });
    await expect(f()).rejects.toBe(err);
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.status.code).toBe("ERROR");
    expect(span.events[0]!.attributes["exception.type"]).toBe("RangeError");
  });

  it("records an error thrown inside a generator and ends the span", () => {
    const err = new Error("mid-stream");
    const gen = traced(function* broken() {
      yield 1;
      throw err;
    });
    const it = gen();
    expect(it.next().value).toBe(1);
    expect(() => it.next()).toThrow(err);
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.status.code).toBe("ERROR");
    expect(span.events.map((e) => e.name)).toEqual(["mlflow.chunk.item.0", "exception"]);
  });

  it("calls straight through, creating no trace, when tracing is disabled", () => {
    startSpan({ name: "before-disable" }, () => undefined);
    const lastId = getLastActiveTrace()!.info.traceId;
    tracing.disable();
    try {
      const f = traced((x: number) => x + 1);
      expect(f(1)).toBe(2);
      expect(
        startSpan({ name: "off" }, (span) => {
          span.setOutputs("x");
          return 5;
        }),
      ).toBe(5);
      expect(getLastActiveTrace()!.info.traceId).toBe(lastId);
    } finally {
      tracing.enable();
    }
  });

  it("does not wrap a function twice", () => {
    const once = traced(function twice(x: number) {
      return x;
    });
    const again = traced(once);
    expect(again).toBe(once);
    startSpan({ name: "outer" }, () => again(1));
    expect(getLastActiveTrace()!.data.spans.map((s) => s.name)).toEqual(["outer", "twice"]);
  });
});

describe("traced generators keep the generator's prototype", () => {
  it("stays an instance of the generator function and keeps iterator methods", () => {
    function* count(n: number) {
      for (let i = 0; i < n; i++) yield i;
    }
    const tracedCount = traced(count);
    const it = tracedCount(3);
    expect(Object.getPrototypeOf(it)).toBe(Object.getPrototypeOf(count(0)));
    expect(typeof it[Symbol.iterator]).toBe("function");
    expect(it[Symbol.iterator]()).toBe(it);
    expect([...it]).toEqual([0, 1, 2]);
    expect(getLastActiveTrace()!.data.spans[0]!.outputs).toEqual([0, 1, 2]);
  });
});

describe("traced inputs", () => {
  it("masks secret-named arguments and never mutates the caller's objects", () => {
    const login = traced(function login(user: string, password: string, options?: { token: string }) {
      return user.length + password.length + (options?.token.length ?? 0);
    });
    const options = { token: "tok-123" };
    login("ann", "hunter2", options);
    expect(getLastActiveTrace()!.data.spans[0]!.inputs).toEqual({ user: "ann", password: "**********", options: { token: "**********" } });
    expect(options.token).toBe("tok-123");
    const single = traced(function single({ apiKey }: { apiKey: string }) {
      return apiKey.length;
    });
    const arg = { apiKey: "sk-1" };
    single(arg);
    expect(getLastActiveTrace()!.data.spans[0]!.inputs).toEqual({ apiKey: "**********" });
    expect(arg.apiKey).toBe("sk-1");
  });
});
