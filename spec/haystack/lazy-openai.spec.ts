// `openai` is loaded when an OpenAI component is created or warmed up, not when
// `mlflow-haystack/haystack` is imported. Checked in a fresh process, where require.cache is real.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

describe("loading the openai package", () => {
  it("waits until an OpenAI component is created or warmed up", () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes("/node_modules/openai/"));
      const haystack = require("./lib/haystack");
      const steps = { afterImport: loaded() };
      const chat = new haystack.OpenAIChatGenerator({ apiKey: "k" });
      steps.afterChatGenerator = loaded();
      chat.warmUp().then(() => {
        steps.afterWarmUp = loaded();
        console.log(JSON.stringify(steps));
      });`;
    const out = execFileSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
    });
    expect(JSON.parse(out.trim().split("\n").pop() ?? "")).toEqual({ afterImport: false, afterChatGenerator: false, afterWarmUp: true });
  });
});
