import { APIConnectionError } from "openai";
import { inspect } from "node:util";
import { OpenAIChatGenerator, OpenAIGenerator } from "../../../lib/haystack";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../../lib/internal/diagnostics";
import { closedPort } from "../../support/closed-port";
import { warnOnFailedAttempts } from "../../../lib/haystack/components/openai-errors";

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

const constructors = [
  ["OpenAIGenerator", (apiBaseUrl?: string) => new OpenAIGenerator({ apiKey: "sk-wrong", ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }) })],
  ["OpenAIChatGenerator", (apiBaseUrl?: string) => new OpenAIChatGenerator({ apiKey: "sk-wrong", ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }) })],
] as const;

describe.each(constructors)("%s with a base URL no request could use", (owner, make) => {
  const saved = process.env["OPENAI_BASE_URL"];
  afterEach(() => {
    if (saved === undefined) delete process.env["OPENAI_BASE_URL"];
    else process.env["OPENAI_BASE_URL"] = saved;
  });

  it("refuses credentials in apiBaseUrl when made, naming the fix, without the password", () => {
    expect(() => make("http://user:s3cret@127.0.0.1:8000/v1")).toThrow(
      new TypeError(
        `${owner}: apiBaseUrl "http://***@127.0.0.1:8000/v1" carries credentials (user:password@), which Node's fetch refuses for every request. Take them out of the URL; the API key goes in apiKey (or OPENAI_API_KEY).`,
      ),
    );
  });

  it("refuses them in OPENAI_BASE_URL too, and a base URL that is not absolute", () => {
    process.env["OPENAI_BASE_URL"] = "https://me:s3cret@proxy.example/v1";
    expect(() => make()).toThrow(`${owner}: OPENAI_BASE_URL "https://***@proxy.example/v1" carries credentials`);
    expect(() => make("localhost:8000/v1?api_key=s3cret")).toThrow(
      new TypeError(`${owner}: apiBaseUrl "localhost:8000/v1?api_key=***" is not an absolute http(s) URL (expected e.g. "http://127.0.0.1:8000/v1").`),
    );
  });

  it("takes an empty apiBaseUrl, or a blank OPENAI_BASE_URL, as OpenAI's API, as the openai client does", () => {
    expect(() => make("")).not.toThrow();
    process.env["OPENAI_BASE_URL"] = "  \n";
    expect(() => make()).not.toThrow();
  });

  it("shows no secret when inspected", () => {
    expect(inspect(make("http://127.0.0.1:8000/v1?api_key=s3cret"))).not.toContain("s3cret");
  });
});

describe("a connection failure whose cause quotes a URL with a secret", () => {
  it("keeps the secret out of the warning line", async () => {
    const logged: string[] = [];
    setDiagnosticsLogger((_level, message) => void logged.push(message));
    resetDiagnosticsCounts();
    const failing = async (): Promise<Response> => {
      throw new TypeError("fetch failed", { cause: new Error("refused: http://user:s3cret@127.0.0.1:1/v1/chat/completions?api_key=k3y") });
    };
    const fetch = warnOnFailedAttempts({ owner: "OpenAIChatGenerator", maxRetries: 2, timeoutSeconds: 1 }, () => failing);
    await expect(fetch("http://127.0.0.1:1/v1/chat/completions")).rejects.toThrow("fetch failed");
    setDiagnosticsLogger(undefined);
    expect(logged.join("\n")).toContain("(refused: http://***@127.0.0.1:1/v1/chat/completions?api_key=***)");
    expect(logged.join("\n")).not.toMatch(/s3cret|k3y/);
  });

  it("keeps a token used as the URL's user name out of the final error", async () => {
    const saved = process.env["OPENAI_BASE_URL"];
    const generator = new OpenAIChatGenerator({ apiKey: "sk-wrong", maxRetries: 0 });
    process.env["OPENAI_BASE_URL"] = "http://sk-live-abc123@127.0.0.1:9/v1";
    try {
      const error = await generator.run({ messages: "hi" }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(error?.message).toMatch(/^OpenAIChatGenerator could not reach 127\.0\.0\.1:9: .*http:\/\/\*\*\*@127\.0\.0\.1:9/);
      expect(error?.message).not.toContain("abc123");
    } finally {
      if (saved === undefined) delete process.env["OPENAI_BASE_URL"];
      else process.env["OPENAI_BASE_URL"] = saved;
    }
  });
});
