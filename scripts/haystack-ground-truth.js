#!/usr/bin/env node
// Regenerates every recorded Python Haystack ground truth the specs compare against, with the
// haystack-ai pinned in python/requirements-haystack.txt (installed into the cached virtualenv of
// scripts/python-venv.js on first use):
//
//   spec/support/fixtures/haystack/bm25-golden.json            <- bm25_golden.py
//   spec/support/fixtures/haystack/prompt-builder-golden.json  <- prompt_builder_golden.py
//   spec/support/fixtures/haystack/scenarios.json              <- spec/support/python/haystack_scenarios.py
//
// Usage: node scripts/haystack-ground-truth.js      (never edit those JSON files by hand)
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ensurePythonVenv } = require("./python-venv");

const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(ROOT, "spec", "support", "fixtures", "haystack");
const GENERATORS = [
  { script: path.join(FIXTURES, "bm25_golden.py"), output: path.join(FIXTURES, "bm25-golden.json") },
  { script: path.join(FIXTURES, "prompt_builder_golden.py"), output: path.join(FIXTURES, "prompt-builder-golden.json") },
  { script: path.join(ROOT, "spec", "support", "python", "haystack_scenarios.py"), output: path.join(FIXTURES, "scenarios.json") },
];

function main() {
  const env = { HAYSTACK_TELEMETRY_ENABLED: "False" };
  const { python, requirement } = ensurePythonVenv({
    requirementsFile: path.join(ROOT, "python", "requirements-haystack.txt"),
    packageName: "haystack-ai",
    importCheck: "import haystack",
    logPrefix: "ground-truth",
    env,
  });
  for (const { script, output } of GENERATORS) {
    const json = execFileSync(python, [script], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" });
    JSON.parse(json);
    fs.writeFileSync(output, json);
    process.stderr.write(`[ground-truth] ${path.relative(ROOT, output)} from ${path.relative(ROOT, script)} (${requirement})\n`);
  }
}

main();
