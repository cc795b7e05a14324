// Every named type the public declarations refer to — options, results, callbacks, properties —
// must itself be exported from an entry point (API Extractor's "forgotten export"): otherwise a
// user cannot annotate with it, and a library built with `declaration: true` that infers it fails
// with TS2742 / TS4023. Reads the built declarations (dist/esm, which re-exports dist/cjs).
import * as path from "node:path";
import * as ts from "typescript";
import { built, ROOT } from "./support/built-sdk";

const DIST = path.join(ROOT, "dist");
const ENTRIES = ["index.d.mts", "haystack.d.mts", "export.d.mts"].map((file) => path.join(DIST, "esm", file));
const NAMED = ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum;

function isPrivate(member: ts.Symbol): boolean {
  return (member.declarations ?? []).some((d) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0);
}

/** `Name (file) via ExportedName.member` for each type reachable from the exports but exported nowhere. */
function forgottenExports(): string[] {
  const program = ts.createProgram(ENTRIES, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    types: ["node"],
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
  });
  const checker = program.getTypeChecker();
  const exported = new Set<ts.Symbol>();
  for (const entry of ENTRIES) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const s of checker.getExportsOfModule(moduleSymbol)) exported.add(s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  }
  const ours = (s: ts.Symbol): boolean => (s.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(DIST + path.sep));
  const missing = new Map<string, string>();
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type, via: string, depth: number): void => {
    if (seen.has(type) || depth > 6) return;
    seen.add(type);
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol !== undefined && ours(symbol) && !exported.has(symbol) && (symbol.flags & NAMED) !== 0) {
      const key = `${symbol.getName()} (${path.basename(symbol.declarations![0]!.getSourceFile().fileName)})`;
      if (!missing.has(key)) missing.set(key, via);
    }
    for (const argument of type.aliasTypeArguments ?? []) visit(argument, via, depth + 1);
    if (type.isUnionOrIntersection()) for (const member of type.types) visit(member, via, depth + 1);
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    for (const argument of checker.getTypeArguments(type as ts.TypeReference) ?? []) visit(argument, via, depth + 1);
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      for (const parameter of signature.getParameters()) visit(checker.getTypeOfSymbol(parameter), via, depth + 1);
      visit(signature.getReturnType(), via, depth + 1);
    }
    if (symbol !== undefined && !ours(symbol)) return; // Node's, OpenAI's and OpenTelemetry's types are theirs
    for (const member of type.getProperties()) {
      if (!member.getName().startsWith("#") && !isPrivate(member)) visit(checker.getTypeOfSymbol(member), `${via}.${member.getName()}`, depth + 1);
    }
  };
  for (const symbol of exported) {
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) continue;
    visit(checker.getDeclaredTypeOfSymbol(symbol), symbol.getName(), 0);
    visit(checker.getTypeOfSymbolAtLocation(symbol, declaration), symbol.getName(), 0);
  }
  return [...missing].map(([name, via]) => `${name} via ${via}`).sort();
}

describe("the public declarations", () => {
  beforeAll(() => void built("index")); // refuse a stale dist

  it("export every named type the public API refers to", () => {
    expect(forgottenExports()).toEqual([]);
  }, 60_000);
});
