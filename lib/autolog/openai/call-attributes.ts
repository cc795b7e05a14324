/**
 * What a span of an OpenAI call records, as MLflow's Python `mlflow.openai.autolog()` does
 * (`mlflow/openai/autolog.py`, `mlflow/openai/utils/chat_schema.py`, mlflow 3.17.2): the request
 * body as inputs and its fields other than `messages`/`input` as attributes, `mlflow.message.format`
 * `openai` on chat spans, `mlflow.chat.tools`, `mlflow.llm.model` (the model that answered, else the
 * one requested) and `mlflow.chat.tokenUsage` with cached tokens. Beyond Python: `mlflow.llm.provider`
 * and `mlflow.llm.cost` from the price table, since this SDK prices spans on the client.
 */
import { costOf } from "../model-pricing";
import { normaliseUsage, type ChatTokenUsage } from "../token-usage";
import { SpanAttributeKey, SpanType, type LiveSpan } from "../../tracing/integration";

/** One traced method of the client. */
export interface CallKind {
  /** The span name: the resource class's name, as Python names it (`Completions`, `Responses`, `Embeddings`). */
  readonly spanName: string;
  readonly spanType: string;
  /** Whether the response is a chat (usage and message format apply). */
  readonly chat: boolean;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Tools of the Responses API with no schema, listed by their type as Python does. */
const BUILT_IN_TOOLS = new Set([
  "file_search",
  "computer_use_preview",
  "web_search_preview",
  "web_search",
  "local_shell",
  "mcp",
  "code_interpreter",
  "image_generation",
]);

/** `mlflow.chat.tools`: Chat Completions and Responses tools as `{ type: "function", function }`. */
export function chatTools(tools: unknown): Obj[] {
  if (!Array.isArray(tools)) return [];
  const out: Obj[] = [];
  for (const tool of tools) {
    if (!isObj(tool)) continue;
    const type = tool["type"] ?? "function";
    if (type === "function") {
      if (isObj(tool["function"])) out.push({ type: "function", function: tool["function"] });
      else {
        const { type: _type, ...definition } = tool;
        out.push({ type: "function", function: definition });
      }
    } else if (typeof type === "string" && BUILT_IN_TOOLS.has(type)) {
      out.push({ type: "function", function: { name: type } });
    }
  }
  return out;
}

/** Attributes known when the call starts. */
export function startAttributes(kind: CallKind, body: unknown, provider: string): Obj {
  const attributes: Obj = {};
  if (isObj(body)) {
    for (const [key, value] of Object.entries(body)) if (key !== "messages" && key !== "input" && value !== undefined) attributes[key] = value;
  }
  if (kind.spanType === SpanType.CHAT_MODEL || kind.spanType === SpanType.LLM) attributes[SpanAttributeKey.MESSAGE_FORMAT] = "openai";
  const tools = isObj(body) ? chatTools(body["tools"]) : [];
  if (tools.length > 0) attributes["mlflow.chat.tools"] = tools;
  attributes[SpanAttributeKey.MODEL_PROVIDER] = provider;
  return attributes;
}

/** Usage of a chat completion or Responses API response, in MLflow's shape. */
export function responseUsage(kind: CallKind, response: unknown): ChatTokenUsage | undefined {
  return kind.chat && isObj(response) ? normaliseUsage(response["usage"]) : undefined;
}

/** Records model, usage and cost from the response; the caller sets the outputs. */
export function recordResponse(span: LiveSpan, kind: CallKind, body: unknown, response: unknown): void {
  const answered = isObj(response) ? response["model"] : undefined;
  const requested = isObj(body) ? body["model"] : undefined;
  const model = typeof answered === "string" && answered !== "" ? answered : typeof requested === "string" && requested !== "" ? requested : undefined;
  if (model !== undefined) span.setAttribute(SpanAttributeKey.MODEL, model);
  const usage = responseUsage(kind, response);
  if (usage === undefined) return;
  span.setAttribute(SpanAttributeKey.CHAT_USAGE, usage);
  const cost = model === undefined ? undefined : costOf(model, usage);
  if (cost !== undefined) span.setAttribute(SpanAttributeKey.LLM_COST, cost);
}
