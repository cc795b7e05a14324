// A consumer's view of the packed tarball: a project outside this repository, with only the tarball
// and the dependencies it declares in its node_modules, type-checks and runs a small program in
// each module mode TypeScript users pick. `npm test` builds first; packing runs no lifecycle
// script, so this never rebuilds `dist` under other running specs. The declared dependencies are
// linked from this repository's node_modules: no registry is reached, and a dependency the package
// uses without declaring it fails here as it would for a user.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let consumer = "";

const program = `
import { startSpan, getLastActiveTrace, setTraceClient, type TraceInfo } from "mlflow-haystack";
import { Pipeline, Document } from "mlflow-haystack/haystack";
import { MemoryClient } from "mlflow-haystack/export";

setTraceClient(new MemoryClient());
const value: number = startSpan({ name: "consumer" }, () => 41 + 1);
const spanName: string | undefined = getLastActiveTrace()?.data.spans[0]?.name;
const info: TraceInfo | undefined = getLastActiveTrace()?.info;
// @ts-expect-error the package's declarations keep TraceInfo read-only (its setter is @internal)
if (info !== undefined) info.experimentId = "1";
const document = new Document({ content: "typed" });
console.log(JSON.stringify({ value, spanName, pipeline: typeof Pipeline, content: document.content }));
`;

// A library built with \`declaration: true\` (what \`tsc --init\` sets) exports values whose types it
// infers from ours: each named type must be reachable from an entry point, or tsc fails with TS2742
// ("cannot be named without a reference to .../dist/cjs/...") or TS4023.
const library = `
import { traced, startSpan } from "mlflow-haystack";
import { CacheChecker, Document, InMemoryBM25Retriever, InMemoryDocumentStore, OpenAIGenerator, PromptBuilder, Secret } from "mlflow-haystack/haystack";
import { LocalStore, OtlpClient } from "mlflow-haystack/export";

export const asAgent = traced({ spanType: "AGENT" });
export const store = new InMemoryDocumentStore();
export const generator = new OpenAIGenerator({ model: "gpt-4o-mini", apiKey: "test" });
export const ask = (prompt: string) => generator.run({ prompt, streamingCallback: (chunk) => chunk.content });
export const build = (question: string) => new PromptBuilder({ template: "{{ question }}" }).run({ question });
export const retrieve = (query: string) => new InMemoryBM25Retriever({ documentStore: store, filterPolicy: "merge" }).run({ query });
export const byLanguage = () => store.filterDocuments({ field: "meta.lang", operator: "==", value: "en" });
export const documentDict = () => new Document({ content: "x" }).toDict();
export const secretDict = () => Secret.fromEnvVar("OPENAI_API_KEY").toDict();
export const cache = () => new CacheChecker({ documentStore: store, cacheField: "url" });
export const otlpConfig = () => new OtlpClient({ endpoint: "http://127.0.0.1:4318/v1/traces" }).config;
export const localOptions = () => new LocalStore({ dir: "traces" }).options;
export const span = () => startSpan({ name: "span" }, (live) => live);
`;

interface Mode {
  name: string;
  type: "module" | "commonjs";
  compilerOptions: Record<string, string | boolean>;
}

const modes: Mode[] = [
  // One mode also checks the package's own declaration files; the others skip them, as `tsc --init` does.
  { name: "nodenext-esm", type: "module", compilerOptions: { module: "nodenext", moduleResolution: "nodenext", skipLibCheck: false } },
  { name: "nodenext-cjs", type: "commonjs", compilerOptions: { module: "nodenext", moduleResolution: "nodenext" } },
  { name: "node10-cjs", type: "commonjs", compilerOptions: { module: "commonjs", moduleResolution: "node10" } },
  { name: "node10-esm", type: "module", compilerOptions: { module: "es2022", moduleResolution: "node10" } },
  { name: "bundler-esm", type: "module", compilerOptions: { module: "esnext", moduleResolution: "bundler" } },
];

/** Runs a Node script; on failure the error carries the script's own output (tsc prints to stdout). */
function runNode(args: string[], cwd: string): string {
  try {
    return execFileSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env } });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`node ${args.join(" ")} failed:\n${stdout}${stderr}`);
  }
}

function linkDependency(name: string): void {
  const target = path.join(consumer, "node_modules", name);
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(path.join(root, "node_modules", name), target, "dir");
}

beforeAll(() => {
  consumer = mkdtempSync(path.join(tmpdir(), "mlflow-haystack-consumer-"));
  const packed = JSON.parse(execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", consumer], { cwd: root, encoding: "utf8" })) as {
    filename: string;
  }[];
  const installed = path.join(consumer, "node_modules", "mlflow-haystack");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(consumer, packed[0]!.filename), "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), "@types/node"]) linkDependency(name);
}, 60_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe("the packed tarball in a consumer project", () => {
  it.each(modes)(
    "type-checks and runs a program under $name",
    (mode) => {
      const dir = path.join(consumer, mode.name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: mode.name, private: true, type: mode.type }));
      const compilerOptions = { skipLibCheck: true, ...mode.compilerOptions, target: "es2022", strict: true, outDir: "out", types: ["node"] };
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
      writeFileSync(path.join(dir, "main.ts"), program);

      runNode([tsc, "-p", dir], dir);
      const out = runNode([path.join(dir, "out", "main.js")], dir);

      expect(JSON.parse(out)).toEqual({ value: 42, spanName: "consumer", pipeline: "function", content: "typed" });
    },
    120_000,
  );

  it.each(modes.filter((mode) => mode.name.startsWith("nodenext")))(
    "names every type a declaration-emitting library infers from the SDK under $name",
    (mode) => {
      const dir = path.join(consumer, `${mode.name}-library`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `${mode.name}-library`, private: true, type: mode.type }));
      const compilerOptions = {
        skipLibCheck: true,
        ...mode.compilerOptions,
        target: "es2022",
        strict: true,
        declaration: true,
        emitDeclarationOnly: true,
        outDir: "out",
        types: ["node"],
      };
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["library.ts"] }));
      writeFileSync(path.join(dir, "library.ts"), library);

      runNode([tsc, "-p", dir], dir);

      expect(readFileSync(path.join(dir, "out", "library.d.ts"), "utf8")).toContain('import("mlflow-haystack/haystack").OpenAIGeneratorOutputs');
    },
    120_000,
  );
});
