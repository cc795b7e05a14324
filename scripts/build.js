#!/usr/bin/env node
// Builds dist/cjs with tsc and adds thin ESM entry points that re-export the CommonJS build,
// so `import` and `require` load one copy of the code (no dual-package state split).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});

// The CLI is a `bin`: npm links it but does not make the project's own file executable.
fs.chmodSync(path.join(dist, "cjs", "cli", "main.js"), 0o755);

const entries = { index: "../cjs/index.js", haystack: "../cjs/haystack/index.js", export: "../cjs/export/index.js" };
fs.mkdirSync(path.join(dist, "esm"), { recursive: true });
for (const [name, target] of Object.entries(entries)) {
  // The `.js` extension is required: under node16/nodenext an ESM declaration file resolves its
  // specifiers as Node does, and an extensionless one names nothing (TS2305/TS2835 for users).
  fs.writeFileSync(path.join(dist, "esm", `${name}.mjs`), `export * from "${target}";\n`);
  fs.writeFileSync(path.join(dist, "esm", `${name}.d.mts`), `export * from "${target}";\n`);
}
