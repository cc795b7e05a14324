import { describeValue } from "../../lib/internal/describe-value";

describe("describeValue", () => {
  it("quotes strings and names them, so '5' and 5 read differently", () => {
    expect(describeValue("5")).toBe('"5" (a string)');
    expect(describeValue("")).toBe('"" (an empty string)');
    expect(describeValue('say "hi"')).toBe('"say \\"hi\\"" (a string)');
  });

  it("cuts a long string and says how long it was", () => {
    const shown = describeValue("x".repeat(500));
    expect(shown).toBe(`"${"x".repeat(60)}…" (a string of 500 characters)`);
  });

  it("hides credentials in a URL it shows", () => {
    expect(describeValue("htp://me:s3cret@host:5000")).not.toContain("s3cret");
  });

  it("shows numbers, booleans, bigints and symbols with their kind", () => {
    expect(describeValue(5000)).toBe("5000 (a number)");
    expect(describeValue(Number.NaN)).toBe("NaN (a number)");
    expect(describeValue(-0)).toBe("-0 (a number)");
    expect(describeValue(false)).toBe("false (a boolean)");
    expect(describeValue(10n)).toBe("10n (a bigint)");
    expect(describeValue(Symbol("id"))).toBe("Symbol(id) (a symbol)");
  });

  it("shows null and undefined as themselves", () => {
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
  });

  it("counts an array's items", () => {
    expect(describeValue([])).toBe("an empty array");
    expect(describeValue([1])).toBe("an array of 1 item");
    expect(describeValue([1, 2, 3])).toBe("an array of 3 items");
  });

  it("names a plain object's keys, never its values", () => {
    expect(describeValue({})).toBe("an empty object");
    expect(describeValue({ url: "u", token: "sk-secret" })).toBe("an object with keys url, token");
    expect(describeValue(Object.create(null))).toBe("an empty object");
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, i]));
    expect(describeValue(many)).toBe("an object with keys k0, k1, k2, k3, k4, … (8 in all)");
  });

  it("names the class of other objects", () => {
    expect(describeValue(new Date(0))).toBe("an instance of Date");
    expect(describeValue(Promise.resolve(1))).toBe("an instance of Promise");
    class Options {}
    expect(describeValue(new Options())).toBe("an instance of Options");
  });

  it("names functions", () => {
    expect(describeValue(function onDone() {})).toBe("a function named onDone");
    expect(describeValue(Object.defineProperty(() => 1, "name", { value: "" }))).toBe("an anonymous function");
  });

  it("never throws on hostile values", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(proxy)).toBe("an object");
    const trapping = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
        getPrototypeOf: () => {
          throw new Error("trap");
        },
      },
    );
    expect(describeValue(trapping)).toBe("an object");
    const getters = Object.defineProperty({}, "constructor", {
      enumerable: true,
      get: () => {
        throw new Error("getter");
      },
    });
    expect(describeValue(getters)).toBe("an object with key constructor");
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(describeValue(cycle)).toBe("an object with key self");
    const hostileName = Object.defineProperty(() => 1, "name", {
      get: () => {
        throw new Error("name");
      },
    });
    expect(describeValue(hostileName)).toBe("an anonymous function");
  });
});
