import { PythonFloat, pythonJsonDumps, pythonJsonLength, pythonJsonString, type PythonJsonOptions } from "../../lib/internal/python-json";

// The expected strings were written by CPython 3.11's json.dumps for the same data.
const VALUE = { b: [1, "é", null, true, "😀", '\u0001\u007f\n"\\'], a: 1.5, z: { n: 1e-5, m: 1e16, k: 0.1 + 0.2 } };
const AS_PYTHON: Array<[string, PythonJsonOptions, string]> = [
  [
    "json.dumps(v)",
    { pythonFloats: true },
    '{"b": [1, "\\u00e9", null, true, "\\ud83d\\ude00", "\\u0001\\u007f\\n\\"\\\\"], "a": 1.5, "z": {"n": 1e-05, "m": 1e+16, "k": 0.30000000000000004}}',
  ],
  [
    "json.dumps(v, sort_keys=True)",
    { pythonFloats: true, sortKeys: true },
    '{"a": 1.5, "b": [1, "\\u00e9", null, true, "\\ud83d\\ude00", "\\u0001\\u007f\\n\\"\\\\"], "z": {"k": 0.30000000000000004, "m": 1e+16, "n": 1e-05}}',
  ],
  [
    "json.dumps(v, ensure_ascii=False)",
    { pythonFloats: true, ensureAscii: false },
    '{"b": [1, "é", null, true, "😀", "\\u0001\u007f\\n\\"\\\\"], "a": 1.5, "z": {"n": 1e-05, "m": 1e+16, "k": 0.30000000000000004}}',
  ],
];

describe("pythonJsonDumps", () => {
  it("writes what Python's json.dumps writes, for each of its options", () => {
    for (const [call, options, expected] of AS_PYTHON) expect([call, pythonJsonDumps(VALUE, options)]).toEqual([call, expected]);
  });

  it("indents as json.dumps(v, indent=2, sort_keys=True), floats marked as such", () => {
    const value = { b: [1, { c: [] }], a: {}, f: new PythonFloat(2) };
    expect(pythonJsonDumps(value, { indent: 2, sortKeys: true })).toBe('{\n  "a": {},\n  "b": [\n    1,\n    {\n      "c": []\n    }\n  ],\n  "f": 2.0\n}');
    expect(pythonJsonLength(value, { indent: 2, sortKeys: true })).toBe(pythonJsonDumps(value, { indent: 2, sortKeys: true }).length);
  });

  it("writes JavaScript's number text unless asked for Python's float repr", () => {
    expect(pythonJsonDumps([1e-5, 1e16, 2.5, NaN, -Infinity])).toBe("[0.00001, 10000000000000000, 2.5, NaN, -Infinity]");
  });

  it("writes toDict()/toJSON() results with hooks, and default=str values as strings", () => {
    const message = { toDict: () => ({ role: "user", when: new Date(0) }) };
    expect(pythonJsonDumps({ message, skipped: undefined, n: 2n }, { hooks: true })).toBe(
      '{"message": {"role": "user", "when": "1970-01-01T00:00:00.000Z"}, "n": 2}',
    );
    expect(pythonJsonDumps({ n: 2n, gone: undefined, fn: Symbol("s") }, { defaultStr: true })).toBe('{"n": "2", "gone": null, "fn": "Symbol(s)"}');
  });

  it("stops a cyclic toDict() at a marker instead of overflowing the stack", () => {
    const cyclic: { toDict(): unknown } = { toDict: () => ({ again: cyclic }) };
    expect(pythonJsonDumps(cyclic, { hooks: true })).toContain('"<max depth>"');
  });
});

describe("pythonJsonLength", () => {
  it("measures exactly what pythonJsonDumps writes, for every option", () => {
    const values: unknown[] = [VALUE, "lone \ud800 surrogate", [undefined, () => 1], { a: undefined, b: 3n }, 1e-7, ""];
    const options: PythonJsonOptions[] = [{}, { ensureAscii: false }, { pythonFloats: true, sortKeys: true, defaultStr: true }];
    for (const value of values) for (const o of options) expect(pythonJsonLength(value, o)).toBe(pythonJsonDumps(value, o).length);
  });
});

describe("pythonJsonString", () => {
  it("escapes further ASCII characters on request, as Jinja's tojson does", () => {
    expect(pythonJsonString("<a href='x'>&é", { extra: { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027" } })).toBe(
      '"\\u003ca href=\\u0027x\\u0027\\u003e\\u0026\\u00e9"',
    );
  });
});
