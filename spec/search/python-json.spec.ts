/**
 * Assessment values as MLflow's SQL store keeps them: Python's `json.dumps`, numbers as Python
 * floats (protobuf `Value` numbers), expected strings printed by Python 3.11.
 */
import { pythonFloatRepr, pythonJsonDumps } from "../../lib/search/python-json";

describe("pythonJsonDumps", () => {
  it.each([
    [5, "5.0"],
    [0.7, "0.7"],
    [0, "0.0"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [123456789012345.6, "123456789012345.6"],
    [-2.5e-7, "-2.5e-07"],
  ])("prints %p as Python's repr(float) does: %s", (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });

  it("prints values with Python's separators and ASCII escapes", () => {
    expect(pythonJsonDumps({ k: [1, true, null, 'é"x'] }, "float")).toBe('{"k": [1.0, true, null, "\\u00e9\\"x"]}');
    expect(pythonJsonDumps([1, 2.5], "as-written")).toBe("[1, 2.5]");
  });
});
