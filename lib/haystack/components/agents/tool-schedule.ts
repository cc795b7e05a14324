/**
 * Haystack 3.4's order for one step's tool calls: a call that reads a state key (through
 * `inputsFromState`, for a parameter the model left out) runs in a later batch than every call of
 * the step that writes that key (`outputsToState`), whatever order the model asked for. Calls in
 * a batch run in parallel; outputs are merged into the state after each batch.
 */
import type { ToolCall } from "../../dataclasses/content-parts";
import type { Tool } from "../../tools/tool";

function stateKeys(tool: Tool, call: ToolCall): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set(Object.entries(tool.inputsFromState ?? {}).flatMap(([stateKey, param]) => (param in call.arguments ? [] : [stateKey])));
  return { reads, writes: new Set(Object.keys(tool.outputsToState ?? {})) };
}

/**
 * Layered topological sort, as Haystack's `_schedule_tool_calls`: each round, every call whose
 * writers are all scheduled forms the next batch; a cycle (a tool reading and writing one key,
 * called twice) is broken by running the lowest-index remaining call alone.
 *
 * @returns Batches of indices into `calls`, in the order they run.
 */
export function scheduleToolCalls(calls: readonly { call: ToolCall; tool: Tool }[]): number[][] {
  const io = calls.map(({ call, tool }) => stateKeys(tool, call));
  const deps = io.map(({ reads }, j) => new Set(io.flatMap(({ writes }, i) => (i !== j && [...reads].some((key) => writes.has(key)) ? [i] : []))));
  const done = new Set<number>();
  const batches: number[][] = [];
  while (done.size < calls.length) {
    const waiting = calls.map((_, k) => k).filter((k) => !done.has(k));
    const ready = waiting.filter((k) => [...deps[k]!].every((i) => done.has(i)));
    const batch = ready.length > 0 ? ready : [waiting[0]!];
    for (const k of batch) done.add(k);
    batches.push(batch);
  }
  return batches;
}
