// Loads the built package the way users do, through the `exports` map, both with require and
// import, and checks that the two share one tracing state. `npm test` builds first.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

function runNode(script: string, type: "commonjs" | "module"): string {
  // The sandbox's process.env (with the per-file local store) is not the one children inherit.
  return execFileSync(process.execPath, ["--input-type", type, "-e", script], { cwd: root, encoding: "utf8", env: { ...process.env } });
}

describe("the built package", () => {
  it("serves mlflow-haystack to require and import with one shared tracing state", () => {
    const out = runNode(
      `
      const cjs = require("mlflow-haystack");
      import("mlflow-haystack").then((esm) => {
        cjs.startSpan({ name: "from-cjs" }, () => 1);
        const seenByEsm = esm.getLastActiveTrace().data.spans[0].name;
        esm.startSpan({ name: "from-esm" }, () => 2);
        const seenByCjs = cjs.getLastActiveTrace().data.spans[0].name;
        console.log(JSON.stringify({ seenByEsm, seenByCjs, sameFn: esm.startSpan === cjs.startSpan }));
      });`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual({ seenByEsm: "from-cjs", seenByCjs: "from-esm", sameFn: true });
  });

  it("shares state between two separately loaded copies through the global symbol", () => {
    const out = runNode(
      `
      const a = require("mlflow-haystack");
      for (const key of Object.keys(require.cache)) delete require.cache[key];
      const b = require("mlflow-haystack");
      a.startSpan({ name: "from-a" }, () => 1);
      console.log(JSON.stringify({ distinct: a.startSpan !== b.startSpan, seen: b.getLastActiveTrace().data.spans[0].name }));`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual({ distinct: true, seen: "from-a" });
  });

  it("lets one copy turn off the autolog another copy turned on", () => {
    const out = runNode(
      `
      const a = require("mlflow-haystack");
      for (const key of Object.keys(require.cache)) delete require.cache[key];
      const b = require("mlflow-haystack");
      a.haystack.autolog();
      const seenByB = b.haystack.isAutologEnabled();
      b.autolog({ disable: true });
      console.log(JSON.stringify({ seenByB, afterDisable: a.haystack.isAutologEnabled() }));`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual({ seenByB: true, afterDisable: false });
  });

  it("ships the mlflow-haystack CLI as an executable bin", () => {
    const bin = path.join(root, require(path.join(root, "package.json")).bin["mlflow-haystack"] as string);
    const out = execFileSync(bin, ["--help"], { cwd: root, encoding: "utf8", env: { ...process.env } });
    expect(out).toContain("Usage: mlflow-haystack");
  });

  it("serves mlflow-haystack/haystack to import", () => {
    const out = runNode(`import * as h from "mlflow-haystack/haystack"; console.log(typeof h.Pipeline);`, "module");
    expect(out.trim()).toBe("function");
  });

  it("serves mlflow-haystack/export to require and import, one copy of each client", () => {
    const out = runNode(
      `
      const cjs = require("mlflow-haystack/export");
      import("mlflow-haystack/export").then((esm) => console.log(JSON.stringify({ client: typeof cjs.MemoryClient, same: esm.MemoryClient === cjs.MemoryClient })));`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual({ client: "function", same: true });
  });
});

describe("the published tarball", () => {
  interface PackedFile {
    path: string;
  }
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  let files: string[] = [];

  beforeAll(() => {
    const packed = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--ignore-scripts", "--json"], { cwd: root, encoding: "utf8" })) as {
      files: PackedFile[];
    }[];
    files = packed[0]!.files.map((file) => file.path);
  });

  it("ships the source every source map points at", () => {
    const shipped = new Set(files);
    const maps = files.filter((file) => file.endsWith(".map"));
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(path.join(root, map), "utf8")) as { sources: string[] };
      return sources.map((source) => path.posix.join(path.posix.dirname(map), source)).filter((source) => !shipped.has(source));
    });
    expect(maps.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it("ships the Apache-2.0 license text", () => {
    expect(files).toContain("LICENSE");
    expect(readFileSync(path.join(root, "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
  });

  it("runs no script when a consumer installs it", () => {
    const { scripts = {} } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?(install|prepare)$/.test(name))).toEqual([]);
  });

  it("declares its runtime dependencies as caret ranges, so a consumer's own openai is shared", () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const pinned = Object.entries(dependencies).filter(([, range]) => !/^\^\d/.test(range));
    expect(pinned).toEqual([]);
  });

  it("keeps package-lock.json as npm install writes it", () => {
    const copy = mkdtempSync(path.join(tmpdir(), "mlflow-haystack-lock-"));
    try {
      for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(root, file), path.join(copy, file));
      execFileSync(npm, ["install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: copy, encoding: "utf8" });
      expect(readFileSync(path.join(copy, "package-lock.json"), "utf8")).toBe(readFileSync(path.join(root, "package-lock.json"), "utf8"));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("mlflow-haystack/haystack", () => {
  it("loads openai only when an OpenAIGenerator is created", () => {
    const out = runNode(
      `
      const loaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]openai[\\\\/]/.test(file));
      const { OpenAIGenerator } = require("mlflow-haystack/haystack");
      const atImport = loaded();
      new OpenAIGenerator({ apiKey: "sk-test" });
      console.log(JSON.stringify({ atImport, afterCreate: loaded() }));`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual({ atImport: false, afterCreate: true });
  });
});
