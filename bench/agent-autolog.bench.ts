/**
 * Overhead of `mlflow.haystack.autolog()` on an agent run whose LLM call and tool calls each take
 * 1 ms of work: 3 steps (two parallel tool calls, one tool call, a text answer) = 3 LLM calls and
 * 3 tool calls, 10 spans per trace. The chat generator is an in-process component (no HTTP noise)
 * that returns ChatMessages with usage, so the LLM spans carry the full chat-view payload.
 * "1 ms of work" is a fixed amount of CPU work calibrated at start (bench/support/cpu-work.ts).
 * Modes alternate round by round; the figure is the median of per-round ratios (on / off), with
 * the flush of each round's traces (to a no-op client) counted. Target: under 2% added.
 *
 * Run: npm run bench:agent   (= node bench/run.js bench/agent-autolog.bench.ts --this-node)
 * Env: BENCH_ROUNDS (default 31), BENCH_AGENT_RUNS (agent runs per round, default 20).
 */
import { flushTraces, haystack, setDiagnosticsLogger, setTraceClient, shutdownExport, type TraceClient } from "../lib/index";
import { Agent, ChatMessage, component, Tool, ToolCall } from "../lib/haystack/index";
import { printTable, type BenchResult } from "./harness";
import { work1ms } from "./support/cpu-work";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 31);
const RUNS = Number(process.env["BENCH_AGENT_RUNS"] ?? 20);

const usage = { prompt_tokens: 120, completion_tokens: 20, total_tokens: 140, prompt_tokens_details: { cached_tokens: 0 } };
const call = (id: string, name: string, args: Record<string, unknown>) => new ToolCall({ id, toolName: name, arguments: args });

/** A chat generator that works for 1 ms and answers by the number of tool results so far. */
@component({ inputs: { messages: "list[ChatMessage]", tools: { type: "any", optional: true } }, outputs: { replies: "list[ChatMessage]" } })
class BusyChatGenerator {
  readonly model = "gpt-4o-mini";
  async run({ messages }: { messages: ChatMessage[] }): Promise<{ replies: ChatMessage[] }> {
    work1ms();
    await Promise.resolve();
    const results = messages.filter((m) => m.role === "tool").length;
    const meta = { model: "gpt-4o-mini-2024-07-18", index: 0, finish_reason: results < 3 ? "tool_calls" : "stop", usage };
    if (results === 0) return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("a", "lookup", { q: "x" }), call("b", "lookup", { q: "y" })], meta })] };
    if (results === 2) return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("c", "lookup", { q: "z" })], meta })] };
    return { replies: [ChatMessage.fromAssistant("The answer is 42.", { meta })] };
  }
}

const lookup = new Tool({
  name: "lookup",
  description: "Looks something up (1 ms of work)",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  function: ({ q }) => {
    work1ms();
    return `result for ${String(q)}`;
  },
});

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
type Mode = "autolog off" | "autolog on";
const MODES: readonly Mode[] = ["autolog off", "autolog on"];
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined);
  setTraceClient(noopClient);
  const agent = new Agent({ chatGenerator: new BusyChatGenerator(), tools: [lookup], toolConcurrencyLimit: 1 });
  const input = { messages: [ChatMessage.fromUser("What is the answer?")] };
  const wall = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
  const caller = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
  const once = async (mode: Mode, n: number): Promise<number> => {
    haystack.autolog(mode === "autolog on" ? {} : { disable: true });
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await agent.run(input);
    caller.get(mode)?.push(Number(process.hrtime.bigint() - start) / n);
    await flushTraces();
    const ns = Number(process.hrtime.bigint() - start) / n;
    haystack.autolog({ disable: true });
    (globalThis as { gc?: () => void }).gc?.();
    return ns;
  };
  for (const mode of MODES) await once(mode, RUNS);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < MODES.length; k++) {
      const mode = MODES[(r + k) % MODES.length] as Mode;
      wall.get(mode)?.push(await once(mode, RUNS));
    }
  }
  const results: BenchResult[] = MODES.map((m) => ({ name: m, nsPerOp: median(wall.get(m) ?? []) }));
  printTable(`Agent run (3 LLM calls + 3 tool calls, 1 ms of work each): wall ns per run (median of ${ROUNDS} rounds)`, results, "autolog off", "time");
  const off = wall.get("autolog off") ?? [];
  const ratios = (wall.get("autolog on") ?? []).map((ns, i) => ns / (off[i] ?? NaN) - 1);
  const added = median(ratios);
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  out(`  autolog adds ${pct(added)} (paired median) to a ${(median(off) / 1e6).toFixed(2)} ms agent run — target < 2%: ${added < 0.02 ? "met" : "not met"}`);
  out(`  per-round added: min ${pct(Math.min(...ratios))}, median ${pct(added)}, max ${pct(Math.max(...ratios))}; ${(median((wall.get("autolog on") ?? []).map((ns, i) => ns - (off[i] ?? NaN))) / 1000).toFixed(0)} µs per run`);
  const callerOff = caller.get("autolog off") ?? [];
  const callerAdded = median((caller.get("autolog on") ?? []).map((ns, i) => ns / (callerOff[i] ?? NaN))) - 1;
  out(`  on the caller's path alone (flush not counted): ${(100 * callerAdded).toFixed(2)}%`);
  await shutdownExport();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
