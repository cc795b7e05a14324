/**
 * Keeps the recorded Python ground truth honest: runs spec/support/python/haystack_scenarios.py in
 * the haystack-ai pinned by python/requirements-haystack.txt now, and requires the very result
 * checked in as spec/support/fixtures/haystack/scenarios.json, which spec/haystack/python-scenarios.spec.ts
 * replays against our pipelines. A difference means the pin or the runner changed without
 * `node scripts/haystack-ground-truth.js`.
 *
 * The first run installs haystack-ai into a cached virtualenv (scripts/python-venv.js).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// A plain JS script shared with other Python-backed tooling; typed here at its use.
const { ensurePythonVenv } = require("../../scripts/python-venv") as {
  ensurePythonVenv(options: { requirementsFile: string; packageName: string; importCheck: string; logPrefix: string; env: Record<string, string> }): {
    python: string;
  };
};

const ROOT = join(__dirname, "..", "..");
const ENV = { HAYSTACK_TELEMETRY_ENABLED: "False" };

function runScenarios(python: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [join(ROOT, "spec", "support", "python", "haystack_scenarios.py")],
      { env: { ...process.env, ...ENV }, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`haystack_scenarios.py failed: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

describe("recorded Python Haystack scenarios", () => {
  it(
    "are what the pinned haystack-ai does today",
    async () => {
      const { python } = ensurePythonVenv({
        requirementsFile: join(ROOT, "python", "requirements-haystack.txt"),
        packageName: "haystack-ai",
        importCheck: "import haystack",
        logPrefix: "scenarios",
        env: ENV,
      });
      const recorded: unknown = JSON.parse(readFileSync(join(ROOT, "spec", "support", "fixtures", "haystack", "scenarios.json"), "utf8"));
      expect(await runScenarios(python)).toEqual(recorded);
    },
    15 * 60_000,
  );
});
