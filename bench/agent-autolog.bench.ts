/**
 * Overhead of `mlflow.haystack.autolog()` on an agent run whose LLM call and tool calls each take
 * 1 ms of work: 3 steps (two parallel tool calls, one tool call, a text answer) = 3 LLM calls and
 * 3 tool calls, 10 spans per trace. The chat generator is an in-process component (no HTTP noise)
 * that returns ChatMessages with usage, so the LLM spans carry the full chat-view payload.
 * "1 ms of work" is a fixed amount of CPU work calibrated at start (bench/support/cpu-work.ts).
 * Modes alternate round by round; the figure is the median of per-round ratios (on / off), with
 * the flush of each round's traces (to a no-op client) counted. Target: under 2% added.
 *
 * A second, "hot" figure runs the same agent with no work at all, back to back: what autolog adds
 * per run while its code and data stay in the caches, set against the run with work. The gap
 * between the two figures is the cost of running cold after 1 ms of other work (bench/README.md).
 *
 * Each round starts after a young-generation collection. Not a full one: a forced full collection
 * (like the one V8 runs after an idle period) drops the hidden classes of short-lived objects and
 * with them the optimized code of every function that checks one, so every traced round measured
 * its re-compilation (bench/README.md, "Where an agent run's autolog CPU goes"); BENCH_FULL_GC=1
 * measures that regime.
 *
 * Run: npm run bench:agent   (= node bench/run.js bench/agent-autolog.bench.ts --this-node)
 * Env: BENCH_ROUNDS (default 7, at least 5), BENCH_AGENT_RUNS (agent runs per round, default 200),
 * BENCH_FULL_GC=1 (a full collection before each round), BENCH_HOT_RUNS (zero-work runs per hot round, default 2000).
 */
import { flushTraces, haystack, setDiagnosticsLogger, setTraceClient, shutdownExport } from "../lib/index";
import { type TraceClient } from "../lib/export/index";
import { Agent, ChatMessage, component, Tool, ToolCall } from "../lib/haystack/index";
import { figure, fmtSpread, interleave, loadLine, out, paired, pairedDiff, roundsFromEnv, spread } from "./support/interleave";
import { work1ms } from "./support/cpu-work";

const ROUNDS = roundsFromEnv(7);
const RUNS = Number(process.env["BENCH_AGENT_RUNS"] ?? 200);
const HOT_RUNS = Number(process.env["BENCH_HOT_RUNS"] ?? 2000);
/** Off for the hot figure: the same agent, its LLM and tool calls doing no work. */
let working = true;
const FULL_GC = process.env["BENCH_FULL_GC"] === "1";
/** Unrecorded rounds per mode first: V8 takes ~800 traced runs to finish optimizing the traced path. */
const WARMUP_ROUNDS = 3;
const collect = (globalThis as { gc?: (options?: { type: "major" | "minor" }) => void }).gc;

const usage = { prompt_tokens: 120, completion_tokens: 20, total_tokens: 140, prompt_tokens_details: { cached_tokens: 0 } };
const call = (id: string, name: string, args: Record<string, unknown>) => new ToolCall({ id, toolName: name, arguments: args });

/** A chat generator that works for 1 ms and answers by the number of tool results so far. */
@component({ inputs: { messages: "list[ChatMessage]", tools: { type: "any", optional: true } }, outputs: { replies: "list[ChatMessage]" } })
class BusyChatGenerator {
  readonly model = "gpt-4o-mini";
  async run({ messages }: { messages: ChatMessage[] }): Promise<{ replies: ChatMessage[] }> {
    if (working) work1ms();
    await Promise.resolve();
    const results = messages.filter((m) => m.role === "tool").length;
    const meta = { model: "gpt-4o-mini-2024-07-18", index: 0, finish_reason: results < 3 ? "tool_calls" : "stop", usage };
    if (results === 0)
      return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("a", "lookup", { q: "x" }), call("b", "lookup", { q: "y" })], meta })] };
    if (results === 2) return { replies: [ChatMessage.fromAssistant(null, { toolCalls: [call("c", "lookup", { q: "z" })], meta })] };
    return { replies: [ChatMessage.fromAssistant("The answer is 42.", { meta })] };
  }
}

const lookup = new Tool({
  name: "lookup",
  description: "Looks something up (1 ms of work)",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  function: ({ q }) => {
    if (working) work1ms();
    return `result for ${String(q)}`;
  },
});

const noopClient: TraceClient = { export: async () => ({ failures: [] }), shutdown: async () => undefined };
type Mode = "autolog off" | "autolog on";
const MODES: readonly Mode[] = ["autolog off", "autolog on"];
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

async function main(): Promise<void> {
  setDiagnosticsLogger(() => undefined);
  setTraceClient(noopClient);
  const agent = new Agent({ chatGenerator: new BusyChatGenerator(), tools: [lookup], toolConcurrencyLimit: 1 });
  const input = { messages: [ChatMessage.fromUser("What is the answer?")] };
  /** One round of one mode: wall ns per run with the flush of its traces, the caller's path alone, and process CPU. */
  const once = async (mode: Mode, runs = RUNS): Promise<{ wall: number; caller: number; cpu: number }> => {
    haystack.autolog(mode === "autolog on" ? {} : { disable: true });
    collect?.(FULL_GC ? { type: "major" } : { type: "minor" });
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) await agent.run(input);
    const caller = Number(process.hrtime.bigint() - start) / runs;
    await flushTraces();
    const wall = Number(process.hrtime.bigint() - start) / runs;
    const cpu = process.cpuUsage(cpu0);
    haystack.autolog({ disable: true });
    return { wall, caller, cpu: ((cpu.user + cpu.system) * 1000) / runs };
  };
  const samples = await interleave(
    MODES.map((mode) => ({ name: mode, run: () => once(mode) })),
    ROUNDS,
    WARMUP_ROUNDS,
  );
  const off = samples.get("autolog off") ?? [];
  const on = samples.get("autolog on") ?? [];
  out(
    `\nAgent run (3 LLM calls + 3 tool calls, 1 ms of work each, 10 spans): ${ROUNDS} interleaved rounds of ${RUNS} runs per mode, ${FULL_GC ? "full" : "young-generation"} collection before each — ${loadLine()}`,
  );
  out(`  autolog off: ${fmtSpread(spread(figure(off, "wall").map((ns) => ns / 1e6)), 3, " ms")} wall per run`);
  out(`  autolog on:  ${fmtSpread(spread(figure(on, "wall").map((ns) => ns / 1e6)), 3, " ms")} wall per run`);
  const added = spread(paired(figure(on, "wall"), figure(off, "wall")).map((r) => r - 1));
  out(
    `  wall added (paired by round, flush included): ${pct(added.median)} (${pct(added.min)} to ${pct(added.max)}) — target < 2%: ${added.median < 0.02 ? "met" : "not met"}`,
  );
  const caller = spread(paired(figure(on, "caller"), figure(off, "caller")).map((r) => r - 1));
  out(`  caller's path alone (flush not counted): ${pct(caller.median)} (${pct(caller.min)} to ${pct(caller.max)})`);
  const cpu = spread(pairedDiff(figure(on, "cpu"), figure(off, "cpu")).map((ns) => ns / 1000));
  const offWall = spread(figure(off, "wall")).median;
  out(`  process CPU added per run: ${fmtSpread(cpu, 0, " µs")} = ${pct((cpu.median * 1000) / offWall)} of the run's wall time`);
  // On a loaded machine wall time carries other processes' scheduling; CPU time does not.
  const cpuAdded = spread(paired(figure(on, "cpu"), figure(off, "cpu")).map((r) => r - 1));
  out(
    `  process CPU added, paired by round: ${pct(cpuAdded.median)} (${pct(cpuAdded.min)} to ${pct(cpuAdded.max)}) of the run's own CPU — target < 2%: ${cpuAdded.median < 0.02 ? "met" : "not met"}`,
  );

  working = false;
  const hot = await interleave(
    MODES.map((mode) => ({ name: mode, run: () => once(mode, HOT_RUNS) })),
    ROUNDS,
    WARMUP_ROUNDS,
  );
  const hotAdded = spread(pairedDiff(figure(hot.get("autolog on") ?? [], "wall"), figure(hot.get("autolog off") ?? [], "wall")).map((ns) => ns / 1000));
  out(
    `  hot (no work, ${HOT_RUNS} runs back to back per round): autolog adds ${fmtSpread(hotAdded, 1, " µs")} wall per run = ${pct((hotAdded.median * 1000) / offWall)} of the run with work above`,
  );
  await shutdownExport();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
