import { pythonJsonDumps as dumps, pythonJsonLength, type PythonJsonOptions } from "../../lib/internal/python-json";
import { getLastActiveTrace, startSpan } from "../../lib/index";
import { pythonSpanDict, pythonSpanLength, SIZE_BYTES_KEY, SIZE_STATS_KEY } from "../../lib/tracing/trace-size-stats";

/** Python's `json.dumps(value, sort_keys=True, default=str)`, as document ids hash it. */
const SORTED: PythonJsonOptions = { sortKeys: true, pythonFloats: true, defaultStr: true };
const pythonJsonDumps = (value: unknown): string => dumps(value, SORTED);

describe("pythonJsonLength", () => {
  it("equals the length of Python's json.dumps output, escapes and separators included", () => {
    const values: unknown[] = [
      null,
      true,
      false,
      0,
      -12.5,
      "plain",
      'quote " and backslash \\',
      "new\nline\ttab\rcr\bback\fform\u0001ctl\u007fdel",
      "non-ASCII: héllo 日本 😀 \u2028",
      "lone surrogates: \ud800x y\udc00 \ud83d",
      [],
      {},
      [1, "two", { three: [3, null] }],
      { b: 1, a: { nested: ["x", { y: "é" }] }, 'key with "quote"': false },
    ];
    for (const value of values) expect(pythonJsonLength(value)).toBe(pythonJsonDumps(value).length);
  });

  it("skips undefined object members like JSON does", () => {
    expect(pythonJsonLength({ a: 1, b: undefined })).toBe(pythonJsonDumps({ a: 1 }).length);
  });
});

describe("trace size metadata", () => {
  it("is on every assembled trace: total bytes, span count and span size percentiles", () => {
    startSpan({ name: "root", inputs: { q: "x".repeat(500) } }, () => {
      startSpan({ name: "small" }, () => 1);
      startSpan({ name: "large", inputs: { text: "y".repeat(2000) } }, () => 2);
    });
    const metadata = getLastActiveTrace()!.info.metadata;
    const stats = JSON.parse(metadata[SIZE_STATS_KEY]!) as Record<string, number>;
    expect(Object.keys(stats)).toEqual(["total_size_bytes", "num_spans", "max", "p25", "p50", "p75"]);
    expect(stats["num_spans"]).toBe(3);
    expect(stats["max"]).toBeGreaterThan(2000);
    expect(stats["p25"]).toBeLessThan(stats["p50"]!);
    expect(stats["p50"]).toBeLessThan(stats["p75"]!);
    expect(stats["total_size_bytes"]).toBeGreaterThan(2500);
    expect(metadata[SIZE_BYTES_KEY]).toBe(String(stats["total_size_bytes"]));
    expect(metadata[SIZE_STATS_KEY]).toMatch(/^\{"total_size_bytes": \d+, "num_spans": 3, /);
  });
});

describe("pythonSpanLength", () => {
  it("measures Python's span.to_dict() JSON without building it, events and reserved attribute keys included", () => {
    startSpan({ name: "root ✓", inputs: { q: 'say "hi"\n', n: [1, 2.5, null] }, attributes: { "app.flag": true, "app.note": "é" } }, (span) => {
      span.addEvent("chunk", { "mlflow.chunk.value": "x", index: 3, ok: false });
      startSpan({ name: "child", attributes: { "mlflow.spanInputs": "overridden" } }, () => undefined);
      try {
        startSpan({ name: "fails" }, () => {
          throw new TypeError("bad \\ input");
        });
      } catch {
        // recorded on the span
      }
      return "done";
    });
    const spans = getLastActiveTrace()!.data.spans;
    expect(spans).toHaveLength(3);
    for (const span of spans) expect([span.name, pythonSpanLength(span)]).toEqual([span.name, pythonJsonDumpsInOrder(pythonSpanDict(span)).length]);
  });
});

/**
 * Python's json.dumps, built independently: JSON.stringify (bigints as digits), then Python's
 * ", " / ": " separators and \uXXXX for DEL and non-ASCII.
 */
function pythonJsonDumpsInOrder(value: unknown): string {
  const compact = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `__bigint__${v}` : v)).replace(/"__bigint__(\d+)"/g, "$1");
  let out = "";
  let inString = false;
  for (let i = 0; i < compact.length; i++) {
    const ch = compact[i] as string;
    const code = compact.charCodeAt(i);
    if (inString) {
      if (ch === "\\") {
        out += ch + (compact[++i] as string);
        continue;
      }
      if (ch === '"') inString = false;
      out += code > 0x7e ? `\\u${code.toString(16).padStart(4, "0")}` : ch;
      continue;
    }
    if (ch === '"') inString = true;
    out += ch === "," || ch === ":" ? `${ch} ` : ch;
  }
  return out;
}
