import { parseIni } from "../../../lib/export/mlflow/databricks-config";
import { parseRetryAfter } from "../../../lib/export/mlflow/retry-after";
import { formatDuration, parseDuration, parseTraceDataJson } from "../../../lib/export/mlflow/trace-wire";

describe("trace wire conversions", () => {
  it("writes and reads protobuf Duration strings", () => {
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(0.1 + 0.2)).toBe("0.0003s");
    expect(formatDuration(2000)).toBe("2s");
    expect(parseDuration("1.500s")).toBe(1500);
    expect(parseDuration("0.000123456s")).toBe(0.123);
  });

  it("keeps nanosecond times exact when the server writes them as JSON numbers", () => {
    const data = parseTraceDataJson(
      '{"spans":[{"start_time_unix_nano": 1795980348539069336, "events":[{"time_unix_nano":1795980348539069337}],"attributes":{"x":"{\\"time_unix_nano\\": 1}"}}]}',
    );
    expect(data.spans[0]).toMatchObject({
      start_time_unix_nano: "1795980348539069336",
      events: [{ time_unix_nano: "1795980348539069337" }],
      attributes: { x: '{"time_unix_nano": 1}' },
    });
  });

  it("parses Retry-After seconds and dates, and INI files with DEFAULT inheritance", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(["3", "9"])).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    const ini = parseIni("[DEFAULT]\nhost = h\n[p]\ntoken: t\n");
    expect(Object.fromEntries(ini.get("p") ?? [])).toEqual({ token: "t", host: "h" });
  });
});
