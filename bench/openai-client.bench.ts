/**
 * Overhead of `mlflow.openai.trace(client)` on calls to an OpenAI-compatible server that takes 1 ms
 * to answer (a loopback HTTP server in this process doing 1 ms of CPU work per request, see
 * bench/support/cpu-work.ts): a plain chat completion and a streamed one (8 chunks, usage in the
 * last). The untraced client and the traced view of the same client alternate round by round (A/B
 * interleaved, the order flipped every round); each round makes BENCH_CALLS calls and flushes their
 * traces to a no-op client, counted. The figure is the median of per-round ratios. Target: < 2%.
 * Wall time and this process's CPU time (user + system, `process.cpuUsage`) are both reported: on a
 * loaded machine wall time mostly measures the scheduler, CPU time still measures the work.
 *
 * Run: npm run bench:openai   (= node bench/run.js bench/openai-client.bench.ts --this-node)
 * Env: BENCH_ROUNDS (default 31), BENCH_CALLS (calls per round, default 50).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { flushTraces, openai, setDiagnosticsLogger, setTraceClient, shutdownExport } from "../lib/index";
import type { TraceClient } from "../lib/export/index";
import { printTable, type BenchResult } from "./harness";
import { work1ms } from "./support/cpu-work";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 31);
const CALLS = Number(process.env["BENCH_CALLS"] ?? 50);

const base = { id: "chatcmpl-bench", created: 1_700_000_000, model: "gpt-4o-mini-2024-07-18", system_fingerprint: "fp_bench" };
const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 } };
const WORDS = ["The ", "answer ", "to ", "that ", "is ", "forty-", "two", "."];
const COMPLETION = JSON.stringify({
  ...base,
  object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", content: WORDS.join("") }, finish_reason: "stop" }],
  usage,
});
const STREAM =
  [
    ...WORDS.map((w, i) => ({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { content: w }, finish_reason: i === WORDS.length - 1 ? "stop" : null }],
    })),
    { ...base, object: "chat.completion.chunk", choices: [], usage },
  ]
    .map((c) => `data: ${JSON.stringify(c)}\n\n`)
    .join("") + "data: [DONE]\n\n";

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const streamed = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { stream?: boolean }).stream === true;
      work1ms();
      res.writeHead(200, { "content-type": streamed ? "text/event-stream" : "application/json" });
      res.end(streamed ? STREAM : COMPLETION);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

type Call = (client: OpenAI) => Promise<unknown>;
const messages = [{ role: "user" as const, content: "What is the answer?" }];
const KINDS: readonly { name: string; call: Call }[] = [
  { name: "chat completion", call: (c) => c.chat.completions.create({ model: "gpt-4o-mini", messages }) },
  {
    name: "streamed chat completion (8 chunks)",
    call: async (c) => {
      const stream = await c.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) void chunk;
    },
  },
];

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined);
  setTraceClient(noopClient);
  const server = await startServer();
  const raw = new OpenAI({ apiKey: "bench", baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
  const clients = { untraced: raw, traced: openai.trace(raw) };
  const modes = ["untraced", "traced"] as const;
  for (const kind of KINDS) {
    const wall = { untraced: [] as number[], traced: [] as number[] };
    const cpu = { untraced: [] as number[], traced: [] as number[] };
    const round = async (mode: (typeof modes)[number]): Promise<number> => {
      const start = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) await kind.call(clients[mode]);
      await flushTraces();
      const ns = Number(process.hrtime.bigint() - start) / CALLS;
      const used = process.cpuUsage(cpuStart);
      cpu[mode].push(((used.user + used.system) * 1000) / CALLS);
      (globalThis as { gc?: () => void }).gc?.();
      return ns;
    };
    for (const mode of modes) await round(mode);
    cpu.untraced.length = cpu.traced.length = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < modes.length; k++) {
        const mode = modes[(r + k) % modes.length]!;
        wall[mode].push(await round(mode));
      }
    }
    const results: BenchResult[] = modes.map((m) => ({ name: m, nsPerOp: median(wall[m]) }));
    printTable(`${kind.name}, server takes 1 ms: wall ns per call (median of ${ROUNDS} rounds of ${CALLS})`, results, "untraced", "time");
    const ratios = wall.traced.map((ns, i) => ns / (wall.untraced[i] ?? NaN) - 1);
    const added = median(ratios);
    out(
      `  trace(client) adds ${pct(added)} (paired median) to a ${(median(wall.untraced) / 1e6).toFixed(2)} ms call — target < 2%: ${added < 0.02 ? "met" : "not met"}`,
    );
    out(
      `  per-round added: min ${pct(Math.min(...ratios))}, median ${pct(added)}, max ${pct(Math.max(...ratios))}; ${(median(wall.traced.map((ns, i) => ns - (wall.untraced[i] ?? NaN))) / 1000).toFixed(1)} µs per call`,
    );
    const cpuRatios = cpu.traced.map((ns, i) => ns / (cpu.untraced[i] ?? NaN) - 1);
    out(
      `  CPU time: ${(median(cpu.untraced) / 1e6).toFixed(2)} ms untraced per call (1 ms of it the server's work); trace(client) adds ${pct(median(cpuRatios))} (paired median; min ${pct(Math.min(...cpuRatios))}, max ${pct(Math.max(...cpuRatios))}), ${(median(cpu.traced.map((ns, i) => ns - (cpu.untraced[i] ?? NaN))) / 1000).toFixed(1)} µs per call\n`,
    );
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await shutdownExport();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
