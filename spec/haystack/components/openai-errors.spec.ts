import { APIConnectionError } from "openai";
import { OpenAIChatGenerator, OpenAIGenerator } from "../../../lib/haystack";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../../lib/internal/diagnostics";
import { closedPort } from "../../support/closed-port";

interface Outcome {
  /** Each stderr line, with whether the run had settled when it was written. */
  lines: { text: string; settled: boolean }[];
  error: unknown;
}

/** Runs `run` to completion, recording what reaches stderr meanwhile. */
async function captureRun(run: () => Promise<unknown>): Promise<Outcome> {
  const lines: Outcome["lines"] = [];
  let settled = false;
  const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push({ text: String(chunk), settled });
    return true;
  });
  try {
    const error = await run().then(
      () => undefined,
      (err: unknown) => err,
    );
    settled = true;
    return { lines, error };
  } finally {
    write.mockRestore();
  }
}

const generators = [
  [
    "OpenAIGenerator",
    (baseUrl: string, maxRetries: number) => new OpenAIGenerator({ apiKey: "sk-wrong", apiBaseUrl: baseUrl, maxRetries }).run({ prompt: "hi" }),
  ],
  [
    "OpenAIChatGenerator",
    (baseUrl: string, maxRetries: number) => new OpenAIChatGenerator({ apiKey: "sk-wrong", apiBaseUrl: baseUrl, maxRetries }).run({ messages: "hi" }),
  ],
] as const;

describe.each(generators)("%s when the API cannot be reached", (owner, run) => {
  let port: number;
  const saved = process.env["MLFLOW_HAYSTACK_DEBUG"];

  beforeEach(async () => {
    port = await closedPort();
    setDiagnosticsLogger(undefined);
    resetDiagnosticsCounts();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env["MLFLOW_HAYSTACK_DEBUG"];
    else process.env["MLFLOW_HAYSTACK_DEBUG"] = saved;
    resetDiagnosticsCounts();
  });

  it("says at the first failed attempt, in one stderr line, which host failed, why, and that it retries", async () => {
    const { lines, error } = await captureRun(() => run(`http://127.0.0.1:${port}/v1`, 1));
    expect(lines).toEqual([
      {
        text:
          `[mlflow-haystack] warn: ${owner} could not reach 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}); ` +
          "the openai client retries once over up to ~1 s before failing (set maxRetries or OPENAI_MAX_RETRIES to change)\n",
        settled: false,
      },
    ]);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(`${owner} could not reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("fails with only the one-line error when it will not retry (maxRetries 0)", async () => {
    const { lines, error } = await captureRun(() => run(`http://127.0.0.1:${port}/v1`, 0));
    expect(lines).toEqual([]);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(`${owner} could not reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
