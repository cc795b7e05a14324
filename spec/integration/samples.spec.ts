// Every sample runs as a user runs it (ts-node, its own process), against loopback servers only:
// the offline demo model or the loopback OpenAI-compatible server, and the real MLflow server.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startOpenAIServer, type OpenAIServer } from "../support/openai-server";

const ROOT = resolve(__dirname, "../..");

interface Run {
  code: number;
  out: string;
  err: string;
}

function runSample(name: string, env: Record<string, string | undefined>, cwd: string): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json"), NO_COLOR: "1", ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["-r", require.resolve("ts-node/register/transpile-only"), join(ROOT, "samples", `${name}.ts`)],
      { cwd, env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error === null ? 0 : Number(error.code ?? 1), out: stdout, err: stderr }),
    );
  });
}

describe("samples", () => {
  let work: string;
  let offline: Record<string, string | undefined>;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "mlflow-haystack-sample-"));
    offline = {
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      MLFLOW_TRACKING_URI: undefined,
      MLFLOW_EXPERIMENT_NAME: undefined,
      MLFLOW_EXPERIMENT_ID: undefined,
      MLFLOW_HAYSTACK_LOCAL_DIR: undefined,
    };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("rag.ts (npm start) runs offline with a labelled demo model, prints the answer and the trace tree, and stores the trace locally", async () => {
    const run = await runSample("rag", offline, work);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("OFFLINE DEMO MODEL (not OpenAI)");
    expect(run.out).toContain("Answer: Based on the documents: My name is Jean and I live in Paris.");
    expect(run.out).toMatch(/├─ retriever\s+RETRIEVER\s+OK/);
    expect(run.out).toMatch(/└─ llm\s+LLM\s+OK/);
    expect(run.out).not.toContain("$");
    expect(run.out).toContain(`stored in the local store ${join(work, "mlflow-haystack-traces")} (1 exported, 0 failed)`);
    expect(run.out).toContain("npx mlflow-haystack traces show --last");
    expect(readdirSync(join(work, "mlflow-haystack-traces", "traces")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
  });

  describe("with an OpenAI API key (a loopback OpenAI-compatible server)", () => {
    let openai: OpenAIServer;
    beforeAll(async () => {
      openai = await startOpenAIServer({ reply: () => "Jean lives in Paris.", cachedTokens: 8 });
    });
    afterAll(() => openai.close());

    it("rag.ts calls the configured API through the openai client", async () => {
      const before = openai.requests.length;
      const run = await runSample("rag", { ...offline, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.url }, work);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`Answers come from the OpenAI-compatible API at ${openai.url}`);
      expect(run.out).toContain("Answer: Jean lives in Paris.");
      expect(openai.requests.length).toBe(before + 1);
      expect(openai.requests[before]!.headers["authorization"]).toBe("Bearer test-key");
    });

    it("start-span.ts reads the trace id and token usage with getLastActiveTrace()", async () => {
      const run = await runSample("start-span", { ...offline, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.url }, work);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/Trace id: tr-[0-9a-f]{32}/);
      expect(run.out).toContain("Spans: haystack_pipeline_run (CHAIN), haystack.pipeline.run (CHAIN), retriever (RETRIEVER), prompt_builder (TOOL), llm (LLM)");
      expect(run.out).toMatch(/Token usage: \{"inputTokens":\d+,"outputTokens":4,"totalTokens":\d+,"cacheReadInputTokens":8\}/);
      expect(run.out).toMatch(/Cost: \$\d/);
    });

    it("streaming.ts streams chunks and still records token usage", async () => {
      const run = await runSample("streaming", { ...offline, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.url }, work);
      expect(run.code).toBe(0);
      expect(run.out).toContain("Final reply equals the streamed text: true");
      expect(run.out).toMatch(/Token usage on the llm span: \{"input_tokens":\d+,"output_tokens":4,"total_tokens":\d+,"cache_read_input_tokens":8\}/);
    });
  });

  it("openai-client.ts runs offline: a traced openai client's plain and streamed calls nest under the sample's span with token usage", async () => {
    const run = await runSample("openai-client", offline, work);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("OFFLINE DEMO MODEL (not OpenAI)");
    expect(run.out).toContain("Answer: Based on the documents: Jean lives in Paris.");
    expect(run.out).toContain("Streamed answer: Based on the documents: Jean lives in Paris.");
    expect(run.out).toMatch(/├─ Completions\s+CHAT_MODEL\s+OK.*18 \(10 in \/ 8 out\) tok/);
    expect(run.out).toMatch(/└─ Completions\s+CHAT_MODEL\s+OK.*18 \(10 in \/ 8 out\) tok/);
    expect(run.out).toContain('Token usage of the trace: {"inputTokens":20,"outputTokens":16,"totalTokens":36');
    expect(run.out).toContain("Exported 1 trace(s), 0 failed.");
  });

  it("disable-autolog.ts creates no trace once autolog is disabled", async () => {
    const run = await runSample("disable-autolog", offline, work);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/With autolog: trace tr-[0-9a-f]{32} with spans haystack.pipeline.run, adder/);
    expect(run.out).toContain('Autolog disabled: result {"adder":{"sum":5}}, new trace: none');
  });

  it("custom-component.ts nests a @traced method's span under its component's span", async () => {
    const run = await runSample("custom-component", offline, work);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Top document: Paris is the capital of France.");
    expect(run.out).toContain("span retriever (RETRIEVER) parent=keyword_search");
    expect(run.out).toContain("span tokenize (PARSER) parent=retriever");
  });

  it("agent.ts runs offline with the labelled demo agent model: tools called, the answer, and the agent span tree", async () => {
    const run = await runSample("agent", offline, work);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("OFFLINE DEMO AGENT MODEL (a deterministic script, not OpenAI)");
    expect(run.out).toContain("Answer: It is 21 °C in Paris. It is 17 °C in Berlin. The average is 19 °C.");
    expect(run.out).toContain('Steps: 3, tool calls: {"weather":2,"calculator":1}');
    expect(run.out).toMatch(/^agent\s+AGENT\s+OK/m);
    expect(run.out).toMatch(/├─ step 1\s+CHAIN\s+OK/);
    expect(run.out).toMatch(/│ {2}├─ OpenAIChatGenerator\s+CHAT_MODEL\s+OK/);
    expect(run.out).toMatch(/│ {2}└─ calculator\s+TOOL\s+OK/);
    expect(run.out).toContain("1 exported, 0 failed");
  });

  it("serverless-flush.ts flushes every trace before the handler returns", async () => {
    const run = await runSample("serverless-flush", offline, work);
    expect(run.code).toBe(0);
    expect(run.out.match(/flushed before returning: 1 exported, 0 failed, 0 pending/g)).toHaveLength(2);
  });

  it("otel-service.ts yields one trace across two services and both tracing systems", async () => {
    const run = await runSample("otel-service", offline, work);
    expect(run.code).toBe(0);
    const checks = run.out.split("\n").filter((line) => /^(ok|FAIL)\s/.test(line));
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(checks.filter((line) => line.startsWith("FAIL"))).toEqual([]);
  });

  it("rag.ts against a server ends with the experiment the trace is in and its MLflow UI link", async () => {
    const uri = process.env["MLFLOW_TEST_SERVER_URL"]!;
    const experiment = `samples-rag-${Date.now()}`;
    const run = await runSample("rag", { ...offline, MLFLOW_TRACKING_URI: uri, MLFLOW_EXPERIMENT_NAME: experiment }, work);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const last = run.out.trimEnd().split("\n").at(-1);
    const escaped = uri.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(last).toMatch(
      new RegExp(
        `^The trace is on ${escaped}, experiment "${experiment}" \\(id (\\d+)\\)\\. Open it in the MLflow UI: ${escaped}/#/experiments/\\1/traces\\?selectedEvaluationId=tr-[0-9a-f]{32}$`,
      ),
    );
  });

  it("rag.ts does not claim success when the server refuses the trace, and says where it was kept", async () => {
    const refusing = createServer((_req, res) => {
      res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error_code: "PERMISSION_DENIED", message: "no" }));
    });
    await new Promise<void>((ok) => refusing.listen(0, "127.0.0.1", ok));
    const uri = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      const run = await runSample("rag", { ...offline, MLFLOW_TRACKING_URI: uri }, work);
      expect(run.code).toBe(1);
      expect(run.out).toContain(`The trace was NOT sent to ${uri} (0 exported, 1 failed)`);
      expect(run.out).not.toContain("MLflow UI");
      expect(run.out).toContain(`It is kept in the local store ${join(work, "mlflow-haystack-traces")}`);
      expect(readdirSync(join(work, "mlflow-haystack-traces", "traces")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    } finally {
      await new Promise((ok) => refusing.close(ok));
    }
  });

  it("export-to-server.ts sends the trace to the MLflow server and reads it back", async () => {
    const uri = process.env["MLFLOW_TEST_SERVER_URL"]!;
    const run = await runSample("export-to-server", { ...offline, MLFLOW_TRACKING_URI: uri, SAMPLE_EXPERIMENT: `samples-${Date.now()}` }, work);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("Flushed: 1 exported, 0 failed");
    expect(run.out).toMatch(/Read back tr-[0-9a-f]{32}: state OK, spans haystack.pipeline.run, retriever, prompt_builder, llm/);
    expect(run.out).toMatch(/Token usage on the server: \{"inputTokens":\d+/);
  });
});
