import { ConfigError, configureExport, configureTracing } from "../../lib/index";
import { closestKey } from "../../lib/internal/option-keys";

describe("options objects", () => {
  it("reject a misspelt configureTracing option, naming the closest one, and change nothing", () => {
    expect(() => configureTracing({ contentTrace: false } as never)).toThrow(
      "configureTracing: unknown option `contentTrace`; did you mean `contentTracing`? Known options: maxStringLength,",
    );
    expect(() => configureTracing({ contentTrace: false } as never)).toThrow(ConfigError);
    expect(() => configureTracing({ zzz: 1 } as never)).toThrow(/^configureTracing: unknown option `zzz`\. Known options: /);
  });

  it("reject a non-object configureTracing argument with a ConfigError, not a TypeError", () => {
    expect(() => configureTracing(null as never)).toThrow("configureTracing: expected an options object such as { maxStringLength: … }, got null");
    expect(() => configureTracing([] as never)).toThrow(ConfigError);
  });

  it("reject a misspelt configureExport setting before touching the exporter", async () => {
    await expect(configureExport({ batchSize: 5 } as never)).rejects.toThrow("configureExport: unknown option `batchSize`; did you mean `maxBatchSize`?");
  });

  it("suggest only keys close enough to be a typo", () => {
    expect(closestKey("maxdepth", ["maxDepth", "maxStringLength"])).toBe("maxDepth");
    expect(closestKey("timeout", ["maxDepth", "contentTracing"])).toBeUndefined();
  });
});
