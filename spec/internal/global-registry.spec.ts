// Two copies of the built package in one process (the second loaded after clearing the require
// cache, as a second install would be): what they share, and what a copy does with a registry it
// cannot read.
import { spawnSync } from "node:child_process";
import { built } from "../support/built-sdk";

interface Outcome {
  out: unknown;
  stderr: string;
}

function runChild(script: string): Outcome {
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, MLFLOW_HAYSTACK_DEBUG: "" } });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return { out: JSON.parse(result.stdout) as unknown, stderr: result.stderr };
}

const report = "const report = (value) => process.stdout.write(JSON.stringify(value));";

function twoCopies(body: string): Outcome {
  const index = JSON.stringify(built("index"));
  return runChild(`
    const a = require(${index});
    for (const key of Object.keys(require.cache)) delete require.cache[key];
    const b = require(${index});
    ${report}
    ${body}`);
}

function oneCopyAfter(setup: string, body: string): Outcome {
  return runChild(`
    ${setup}
    const sdk = require(${JSON.stringify(built("index"))});
    ${report}
    ${body}`);
}

describe("the global registry", () => {
  it("is one versioned object under one Symbol.for key, shared by two copies", () => {
    const { out } = twoCopies(`
      a.setModelPricing("shared-model", { inputPerMillion: 1, outputPerMillion: 2 });
      a.setTrackingUri("http://127.0.0.1:1");
      a.startSpan({ name: "from-a" }, () => 1);
      const keys = Object.getOwnPropertySymbols(globalThis).map(String).filter((k) => k.includes("mlflow-haystack"));
      const registry = globalThis[Symbol.for("mlflow-haystack.api.0")];
      report({
        distinct: a.startSpan !== b.startSpan,
        keys,
        version: registry.version,
        price: b.getModelPricing("shared-model"),
        trackingUri: b.getTrackingUri(),
        span: b.getLastActiveTrace().data.spans[0].name,
      });`);
    expect(out).toEqual({
      distinct: true,
      keys: ["Symbol(mlflow-haystack.api.0)"],
      version: 1,
      price: { inputPerMillion: 1, outputPerMillion: 2 },
      trackingUri: "http://127.0.0.1:1",
      span: "from-a",
    });
  });

  it.each([
    ["an older registry version", `globalThis[Symbol.for("mlflow-haystack.api.0")] = Object.freeze({ version: 0, slots: {} });`, "registry version 0"],
    ["a newer registry version", `globalThis[Symbol.for("mlflow-haystack.api.0")] = Object.freeze({ version: 99, slots: {} });`, "registry version 99"],
    ["something that is not a registry", `globalThis[Symbol.for("mlflow-haystack.api.0")] = "junk";`, "registry an unknown layout"],
    ["a copy from before the registry", `globalThis[Symbol.for("mlflow-haystack.v0")] = { version: 0 };`, "pre-registry layout"],
  ])("refuses %s with one warning and traces on its own", (_what, setup, named) => {
    const { out, stderr } = oneCopyAfter(
      setup,
      `
      sdk.startSpan({ name: "first" }, () => 1);
      sdk.startSpan({ name: "second" }, () => 2);
      const found = globalThis[Symbol.for("mlflow-haystack.api.0")];
      report({
        span: sdk.getLastActiveTrace().data.spans[0].name,
        untouched: typeof found === "string" || found.version !== 1,
        counted: sdk.getDiagnosticsCounts()["registry.incompatible"],
      });`,
    );
    const warnings = stderr.split("\n").filter((line) => line.includes("another copy of mlflow-haystack"));
    expect(out).toEqual({ span: "second", untouched: !setup.includes("mlflow-haystack.v0\""), counted: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(named);
    expect(warnings[0]).toContain("npm ls mlflow-haystack");
  });
});
