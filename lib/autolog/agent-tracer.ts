/**
 * Agent spans for `mlflow.haystack.autolog()`: an AGENT span per run (the agent's own pipeline
 * component span when it runs in a pipeline, else a span named `agent`), a `step N` span per step,
 * and under each step a CHAT_MODEL span for the LLM call and a TOOL span per tool call.
 *
 * The LLM span is written the way MLflow's UI reads OpenAI chat spans (checked against the
 * mlflow 3.17.2 UI bundle): `mlflow.message.format = "openai"`, inputs `{ model, messages, tools }`
 * with OpenAI-shaped messages, outputs shaped as a chat completion (`choices[].message`), and the
 * tools under `mlflow.chat.tools`. Token usage and cost sit on the LLM spans only, so the trace
 * sums them once. Streamed chunks become span events, at most {@link MAX_CHUNK_EVENTS} per LLM span.
 */
import type { AgentLlmEvent, AgentRunEvent, AgentStepEvent, ToolCallEvent, ToolDescription } from "../haystack/tracing-hook";
import {
  activeSpan,
  addSnapshotAttributes,
  composeSnapshotCounted,
  isCurrentPart,
  openIntegrationSpan,
  recordOutputs,
  runInSpanContext,
  setSnapshotInputs,
  setSnapshotOutputs,
  snapshotPart,
  SpanAttributeKey,
  SpanType,
  traceCall,
  updateCurrentTrace,
  type JsonValue,
  type LiveSpan,
  type SnapshotPart,
} from "../tracing/integration";
import { composeMessageRecord } from "./message-record";
import { costOf } from "./model-pricing";
import { modelFromOutputs, usageFromOutputs } from "./token-usage";

/** Streamed chunks recorded as events on one LLM span; later chunks are only counted. */
export const MAX_CHUNK_EVENTS = 256;

/** Component spans of agents running in a pipeline, so the agent run reuses its component's span. */
const agentComponentSpans = new WeakMap<object, LiveSpan>();
const chunkCounts = new WeakMap<LiveSpan, number>();

/** Called by the component tracer for components declaring span type AGENT. */
export function rememberAgentComponentSpan(instance: object, span: LiveSpan): void {
  agentComponentSpans.set(instance, span);
}

type OpenAIShaped = { toOpenAIDictFormat(options: { requireToolCallIds: boolean }): unknown };

function openAIMessage(message: object): unknown {
  const m = message as Partial<OpenAIShaped>;
  try {
    return typeof m.toOpenAIDictFormat === "function" ? m.toOpenAIDictFormat({ requireToolCallIds: false }) : message;
  } catch {
    return message;
  }
}

/**
 * Each message's OpenAI form, snapshotted once: every LLM span of an agent records the whole
 * conversation so far, and a reply recorded as one step's output is the next step's input.
 */
const messageParts = new WeakMap<object, SnapshotPart>();

function messagePart(message: object): SnapshotPart {
  let part = messageParts.get(message);
  if (part === undefined || !isCurrentPart(part)) {
    part = snapshotPart(openAIMessage(message));
    messageParts.set(message, part);
  }
  return part;
}

type OpenAITool = { type: "function"; function: ToolDescription };

function openAITool(t: ToolDescription): OpenAITool {
  return { type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } };
}

/**
 * Each tool's OpenAI form, snapshotted once per schema object: the agent span and every LLM span
 * record the tools list (twice each: inputs and `mlflow.chat.tools`), and a tool's schema is the
 * same object from call to call (a schema is not expected to change once its tool is built).
 */
const toolParts = new WeakMap<object, { name: string; description: string; part: SnapshotPart }>();

function toolPart(t: ToolDescription): SnapshotPart | OpenAITool {
  const key = t.parameters;
  if (typeof key !== "object" || key === null) return openAITool(t);
  const cached = toolParts.get(key);
  if (cached !== undefined && cached.name === t.name && cached.description === t.description && isCurrentPart(cached.part)) return cached.part;
  const part = snapshotPart(openAITool(t));
  toolParts.set(key, { name: t.name, description: t.description, part });
  return part;
}

/** How a value is built: each message and tools list as a snapshotted part, or as plain data. */
interface Builders {
  message(m: object): unknown;
  tools(tools: readonly ToolDescription[]): unknown[];
}
const PARTS: Builders = { message: (m) => (typeof m === "object" && m !== null ? messagePart(m) : m), tools: (tools) => tools.map(toolPart) };
const PLAIN: Builders = { message: openAIMessage, tools: (tools) => tools.map(openAITool) };

/** Records the value `build` makes, composed from snapshotted parts (with its counted length), else snapshotted whole. */
function record(set: (value: unknown) => void, adopt: (safe: JsonValue, length: number) => void, build: (b: Builders) => unknown): void {
  const safe = composeSnapshotCounted(build(PARTS));
  if (safe !== undefined) adopt(safe.value, safe.used);
  else set(build(PLAIN));
}

/** Adds the attributes `build` makes, composed from snapshotted parts, else snapshotted whole. */
function recordAttributes(span: LiveSpan, build: (b: Builders) => Record<string, unknown>): void {
  const safe = composeSnapshotCounted(build(PARTS));
  if (safe !== undefined && typeof safe.value === "object" && safe.value !== null && !Array.isArray(safe.value))
    addSnapshotAttributes(span, safe.value, safe.used);
  else span.setAttributes(build(PLAIN));
}

/** The generator's replies as an OpenAI chat completion, which the UI's chat view parses. */
function completionShape(outputs: unknown, model: string | undefined, message: (m: object) => unknown): Record<string, unknown> | undefined {
  const replies = (outputs as { replies?: unknown } | undefined)?.replies;
  if (!Array.isArray(replies)) return undefined;
  const choices = replies.map((reply: { meta?: Record<string, unknown> }, index) => ({
    index: typeof reply.meta?.["index"] === "number" ? reply.meta["index"] : index,
    message: message(reply as object),
    finish_reason: reply.meta?.["finish_reason"] ?? null,
  }));
  const usage = replies[0]?.meta?.usage;
  return { object: "chat.completion", model: model ?? null, choices, ...(usage !== undefined ? { usage } : {}) };
}

function providerOf(className: string, params: Record<string, unknown>): string | undefined {
  if (!/openai/i.test(className)) return undefined;
  const base = params["apiBaseUrl"] ?? process.env["OPENAI_BASE_URL"];
  return typeof base !== "string" || base === "" || base.includes("api.openai.com") ? "openai" : "openai-compatible";
}

/** `traceAgent` of the MLflow tracer. */
export function traceAgent<T>(event: AgentRunEvent, run: () => Promise<T>): Promise<T> {
  const attributes = (b: Builders): Record<string, unknown> => ({
    "haystack.agent.max_steps": event.maxAgentSteps,
    "haystack.agent.tools": event.tools.map((t) => t.name),
    "haystack.agent.exit_conditions": event.exitConditions,
    "haystack.agent.state_schema": event.stateSchema,
    "mlflow.chat.tools": b.tools(event.tools),
  });
  const withTotals = async (): Promise<T> => {
    const outputs = await run();
    const out = outputs as { step_count?: unknown; tool_call_counts?: unknown; exit_reason?: unknown };
    activeSpan()?.setAttributes({
      "haystack.agent.steps_taken": out.step_count,
      "haystack.agent.tool_call_counts": out.tool_call_counts,
      "haystack.agent.exit_reason": out.exit_reason,
    });
    updateCurrentTrace({ metadata: { "haystack.agent.step_count": out.step_count, "haystack.agent.tool_call_counts": out.tool_call_counts } });
    return outputs;
  };
  const active = activeSpan();
  if (active !== undefined && agentComponentSpans.get(event.instance) === active) {
    recordAttributes(active, attributes);
    return withTotals();
  }
  const span = openIntegrationSpan({ name: "agent", spanType: SpanType.AGENT });
  if (span === undefined) return run();
  const inputs = composeMessageRecord(event.inputs);
  if (inputs !== undefined) setSnapshotInputs(span, inputs.value, inputs.used);
  else span.setInputs(event.inputs);
  recordAttributes(span, attributes);
  return runInSpanContext(span, withTotals, recordAgentOutputs);
}

/** The agent's outputs, composed (see `message-record.ts`) when that gives the same value, else snapshotted whole. */
function recordAgentOutputs(span: LiveSpan, outputs: unknown): void {
  const safe = composeMessageRecord(outputs);
  if (safe !== undefined) setSnapshotOutputs(span, safe.value, safe.used);
  else span.setOutputs(outputs);
}

/** `traceAgentStep`: a `step N` span. */
export function traceAgentStep<T>(event: AgentStepEvent, run: () => Promise<T>): Promise<T> {
  return traceCall({ name: `step ${event.step}`, spanType: SpanType.CHAIN, attributes: { "haystack.agent.step": event.step } }, run);
}

/** `traceAgentLlm`: the step's CHAT_MODEL span, in the shape MLflow's chat view reads. */
export function traceAgentLlm<T>(event: AgentLlmEvent, run: () => Promise<T>): Promise<T> {
  const configured = event.generatorInitParameters["model"] ?? (event.generator as { model?: unknown }).model;
  const inputs = (b: Builders): Record<string, unknown> => {
    const out: Record<string, unknown> = { model: configured, messages: event.messages.map((m) => b.message(m)) };
    if (event.tools.length > 0) out["tools"] = b.tools(event.tools);
    return out;
  };
  const provider = providerOf(event.generatorClassName, event.generatorInitParameters);
  const attributes = (b: Builders): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      [SpanAttributeKey.MESSAGE_FORMAT]: "openai",
      "haystack.agent.step": event.step,
      "haystack.component.type": event.generatorClassName,
    };
    if (event.tools.length > 0) out["mlflow.chat.tools"] = b.tools(event.tools);
    if (provider !== undefined) out[SpanAttributeKey.MODEL_PROVIDER] = provider;
    return out;
  };
  const span = openIntegrationSpan({ name: event.generatorClassName, spanType: SpanType.CHAT_MODEL });
  if (span === undefined) return run();
  recordAttributes(span, attributes);
  record(
    (v) => span.setInputs(v),
    (v, length) => setSnapshotInputs(span, v, length),
    inputs,
  );
  return runInSpanContext(span, run, (s, outputs) => {
    const model = modelFromOutputs(outputs, configured);
    record(
      (v) => s.setOutputs(v),
      (v, length) => setSnapshotOutputs(s, v, length),
      (b) => completionShape(outputs, model, (m) => b.message(m)) ?? outputs,
    );
    if (model !== undefined) s.setAttribute(SpanAttributeKey.MODEL, model);
    const usage = usageFromOutputs(outputs);
    if (usage !== undefined) {
      s.setAttribute(SpanAttributeKey.CHAT_USAGE, usage);
      const cost = model === undefined ? undefined : costOf(model, usage);
      if (cost !== undefined) s.setAttribute(SpanAttributeKey.LLM_COST, cost);
    }
    const chunks = chunkCounts.get(s);
    if (chunks !== undefined)
      s.setAttributes({ "haystack.streaming.chunks": chunks, "haystack.streaming.chunk_events_dropped": Math.max(0, chunks - MAX_CHUNK_EVENTS) });
  });
}

/** `traceToolCall`: a TOOL span named after the tool; a failed call is an ERROR span with an exception event. */
export function traceToolCall<T>(event: ToolCallEvent, run: () => Promise<T>): Promise<T> {
  const attributes = {
    "haystack.tool.name": event.toolName,
    "haystack.tool.description": event.description,
    "haystack.tool.call_id": event.callId,
    "haystack.agent.step": event.step,
  };
  return traceCall({ name: event.toolName, spanType: SpanType.TOOL, inputs: event.arguments, attributes }, run, { onResult: recordOutputs });
}

/** `onStreamingChunk`: one event per chunk on the active LLM span, bounded. */
export function onStreamingChunk(chunk: object): void {
  const span = activeSpan();
  if (span === undefined || span.spanType !== SpanType.CHAT_MODEL) return;
  const index = chunkCounts.get(span) ?? 0;
  chunkCounts.set(span, index + 1);
  if (index >= MAX_CHUNK_EVENTS) return;
  const c = chunk as { content?: unknown; toolCalls?: unknown; finishReason?: unknown };
  const attributes: Record<string, string> = { content: typeof c.content === "string" ? c.content : "" };
  if (Array.isArray(c.toolCalls)) attributes["tool_calls"] = JSON.stringify(c.toolCalls);
  if (typeof c.finishReason === "string") attributes["finish_reason"] = c.finishReason;
  span.addEvent(`mlflow.chunk.item.${index}`, attributes);
}
