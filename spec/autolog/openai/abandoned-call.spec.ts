// A response or stream nobody reads must not keep its span open forever: garbage collection of what
// the caller got ends it (checked in a child process with --expose-gc against the built SDK), and so
// does a client timeout before any response.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import OpenAI, { APIConnectionError } from "openai";
import * as mlflow from "../../../lib/index";
import { ROOT, built } from "../../support/built-sdk";
import { startOpenAIServer, type OpenAIServer } from "../../support/openai-server";
import { collectTraces, onlySpan } from "./trace-support";

function runWithGc(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, ...env, MLFLOW_TRACKING_URI: "", MLFLOW_HAYSTACK_LOCAL_DIR: join(process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] ?? "", "openai-gc") },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
  });
}

describe("abandoned OpenAI calls", () => {
  let server: OpenAIServer;
  beforeEach(async () => {
    server = await startOpenAIServer({ reply: () => "Sunny in Paris today." });
  });
  afterEach(async () => server.close());

  it("ends the span of a stream dropped unread when the garbage collector collects it", async () => {
    const out = await runWithGc(
      `
      const mlflow = require(${JSON.stringify(built("index"))});
      const OpenAI = require("openai").default;
      mlflow.setTraceClient({ export: async () => ({ failures: [] }), shutdown: async () => {} });
      const client = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: process.env.OPENAI_TEST_URL, maxRetries: 0 }));
      (async () => {
        await (async () => {
          const stream = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
          stream.controller.abort(); // the request itself is released; only the traced stream is left to collect
        })();
        for (let i = 0; i < 100 && mlflow.getLastActiveTrace() === undefined; i++) {
          global.gc();
          await new Promise((r) => setImmediate(r));
        }
        const span = mlflow.getLastActiveTrace()?.data.spans[0];
        console.log(JSON.stringify({ abandoned: span?.attributes["openai.abandoned"] ?? null, status: span?.status.code ?? null }));
      })();
    `,
      { OPENAI_TEST_URL: server.url },
    );
    expect(JSON.parse(out)).toEqual({ abandoned: "garbage-collected", status: "OK" });
  });

  it("makes the span ERROR on a client timeout, and the caller gets the error the untraced client gives", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const collector = collectTraces();
    try {
      const raw = new OpenAI({ apiKey: "test", baseURL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, maxRetries: 0, timeout: 50 });
      const body = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
      const untraced: unknown = await raw.chat.completions.create(body).catch((e: unknown) => e);
      const done = collector.next();
      const traced: unknown = await mlflow.openai
        .trace(raw)
        .chat.completions.create(body)
        .catch((e: unknown) => e);
      // Same class and message as untraced (under jest a timeout surfaces as APIConnectionError or its subclass).
      expect(traced).toBeInstanceOf(APIConnectionError);
      expect([(traced as Error).constructor, (traced as Error).message]).toEqual([(untraced as Error).constructor, (untraced as Error).message]);
      const span = onlySpan(await done);
      expect(span.status.code).toBe("ERROR");
      expect(span.events.find((e) => e.name === "exception")?.attributes["exception.type"]).toBe((traced as Error).constructor.name);
    } finally {
      collector.stop();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
