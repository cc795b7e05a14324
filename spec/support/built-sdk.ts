/**
 * Paths into the built SDK (`dist/cjs`), for specs that run it in a child process. Children load
 * compiled JavaScript, not `lib/*.ts` through ts-node: compiling the SDK in every child took
 * seconds and made those specs fail under load. `npm test` and `npm run test:unit` build first;
 * a `dist` older than `lib` is refused with the command that fixes it, so no spec tests stale code.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
const DIST = join(ROOT, "dist", "cjs");
let checked = false;

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestSource(path) : { file: path, mtimeMs: statSync(path).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

function assertFresh(): void {
  if (checked) return;
  let builtAt: number;
  try {
    builtAt = statSync(join(DIST, "index.js")).mtimeMs;
  } catch {
    throw new Error("dist/ is missing: run `npm run build` first (`npm test` and `npm run test:unit` do).");
  }
  const newest = newestSource(join(ROOT, "lib"));
  if (newest.mtimeMs > builtAt) {
    throw new Error(`dist/ is older than ${newest.file}: run \`npm run build\` first (\`npm test\` and \`npm run test:unit\` do).`);
  }
  checked = true;
}

/** The absolute path of a built module, e.g. `built("export/clients/local-store/store")`; checks `dist` is fresh. */
export function built(modulePath: string): string {
  assertFresh();
  return join(DIST, `${modulePath}.js`);
}
