import { getLastActiveTrace, setDiagnosticsLogger, startSpan, traced, tracing, updateCurrentTrace, type StartSpanOptions } from "../../lib/index";
import { getDiagnosticsCounts } from "../../lib/export/index";

let warnings: string[];
beforeEach(() => {
  warnings = [];
  setDiagnosticsLogger((level, message) => {
    if (level === "warn") warnings.push(message);
  });
});
afterEach(() => {
  setDiagnosticsLogger(undefined);
  tracing.enable();
});

/** Runs `call` with tracing on and off and returns both outcomes. */
function onAndOff<T>(call: () => T): { on: T; off: T } {
  tracing.enable();
  const on = call();
  tracing.disable();
  try {
    return { on, off: call() };
  } finally {
    tracing.enable();
  }
}

describe("startSpan and traced with options they cannot use", () => {
  it('runs startSpan("name", fn) traced, with the string as the name, and says what was expected', () => {
    const result = startSpan("oops" as unknown as StartSpanOptions, () => 42);
    expect(result).toBe(42);
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "oops", spanType: "UNKNOWN", outputs: 42 });
    expect(warnings.join("\n")).toContain(
      'TypeError: startSpan() expected an options object such as { name: "retrieve" } as its first argument, got "oops" (a string)',
    );
  });

  it("behaves the same with tracing on and off for startSpan(null, fn) and other unusable options", () => {
    for (const options of [null, undefined, 7, [], { name: 5, spanType: {}, attributes: "x" }]) {
      const { on, off } = onAndOff(() => startSpan(options as unknown as StartSpanOptions, () => "ran"));
      expect(on).toBe("ran");
      expect(off).toBe("ran");
    }
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span).toMatchObject({ name: "span", spanType: "UNKNOWN" });
    expect(getDiagnosticsCounts()["startSpan.invalid-option.options"]).toBeGreaterThanOrEqual(4);
  });

  it("traces a function whose traced() options are unusable with defaults", () => {
    const fn = traced(
      function lookup(id: number) {
        return id * 2;
      },
      { name: 3, spanType: null, outputReducer: "sum" } as never,
    );
    expect(fn(21)).toBe(42);
    expect(getLastActiveTrace()!.data.spans[0]).toMatchObject({ name: "lookup", spanType: "UNKNOWN", inputs: { id: 21 }, outputs: 42 });
    expect(warnings.some((w) => w.includes("TypeError: traced() expected `name` to be a non-empty string, got 3 (a number)"))).toBe(true);
  });
});

describe("values that fight back", () => {
  const hostileProxy = (): object =>
    new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error("no prototype for you");
        },
        get: () => {
          throw new Error("no properties either");
        },
        ownKeys: () => {
          throw new Error("no keys");
        },
      },
    );

  it("returns a Proxy from a traced function exactly as it does untraced", () => {
    const proxy = hostileProxy();
    const { on, off } = onAndOff(() =>
      traced(function make() {
        return proxy;
      })(),
    );
    expect(on).toBe(proxy);
    expect(off).toBe(proxy);
    const { on: viaStartSpan } = onAndOff(() => startSpan({ name: "proxy" }, () => proxy));
    expect(viaStartSpan).toBe(proxy);
    expect(String(getLastActiveTrace()!.data.spans[0]!.outputs)).toMatch(/^\[Unserializable/);
  });

  it("records a revoked Proxy, also at the depth limit, without throwing or losing the span", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let deep: unknown = proxy;
    for (let i = 0; i < 25; i++) deep = { deep };
    expect(startSpan({ name: "revoked", inputs: { deep, proxy } }, () => "ok")).toBe("ok");
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.name).toBe("revoked");
    expect((span.inputs as Record<string, unknown>)["proxy"]).toMatch(/^\[Unserializable: TypeError/);
  });

  it("turns a BigInt (or object) request preview, tags and metadata into text and keeps the trace", () => {
    startSpan({ name: "bigint" }, () =>
      updateCurrentTrace({ requestPreview: 12n as unknown as string, responsePreview: { a: 1 } as unknown as string, tags: { n: 5n }, metadata: "x" as never }),
    );
    const info = getLastActiveTrace()!.info;
    expect(info.requestPreview).toBe("12");
    expect(info.responsePreview).toBe('{"a":1}');
    expect(info.tags["n"]).toBe("5");
    expect(JSON.parse(JSON.stringify(getLastActiveTrace()!.toJSON())).info.request_preview).toBe("12");
    expect(warnings.join("\n")).toContain("TypeError: updateCurrentTrace() expected `requestPreview` to be a string, got 12n (a bigint)");
    expect(warnings.join("\n")).toContain('expected `metadata` to be an object of string values, got "x" (a string)');
  });
});
