/**
 * Folds a stream's events into the response the same call would have returned unstreamed, one
 * event at a time (no chunk is kept): a `chat.completion` (text and tool calls per choice, finish
 * reason, usage from the final chunk) or, for the Responses API, the `response.completed` event's
 * response (else a response built from the finished output items). Python's autolog keeps only the
 * text of a streamed chat; tool calls are kept here so the chat view shows them.
 */

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface ToolCallDraft {
  id: unknown;
  type: unknown;
  name: string;
  arguments: string;
}

interface ChoiceDraft {
  role: unknown;
  content: string;
  refusal: string | undefined;
  toolCalls: Map<number, ToolCallDraft>;
  finishReason: unknown;
}

/** Accumulates one stream; `result()` is the assembled response, or undefined when nothing arrived. */
export class StreamAssembly {
  private head: Obj | undefined;
  private usage: unknown;
  private readonly choices = new Map<number, ChoiceDraft>();
  private completed: unknown;
  private readonly outputItems: unknown[] = [];

  add(event: unknown): void {
    if (!isObj(event)) return;
    if (event["object"] === "chat.completion.chunk") this.addChunk(event);
    else if (event["type"] === "response.completed" || event["type"] === "response.incomplete" || event["type"] === "response.failed")
      this.completed = event["response"];
    else if (event["type"] === "response.output_item.done") this.outputItems.push(event["item"]);
  }

  /** Usage from the final chunk (Chat Completions) or the completed response. */
  get finalUsage(): unknown {
    return isObj(this.completed) ? this.completed["usage"] : this.usage;
  }

  private addChunk(chunk: Obj): void {
    this.head ??= chunk;
    if (isObj(chunk["usage"])) this.usage = chunk["usage"];
    if (!Array.isArray(chunk["choices"])) return;
    for (const raw of chunk["choices"]) {
      if (!isObj(raw)) continue;
      const index = typeof raw["index"] === "number" ? raw["index"] : 0;
      let choice = this.choices.get(index);
      if (choice === undefined)
        this.choices.set(index, (choice = { role: "assistant", content: "", refusal: undefined, toolCalls: new Map(), finishReason: null }));
      if (typeof raw["finish_reason"] === "string") choice.finishReason = raw["finish_reason"];
      const delta = raw["delta"];
      if (!isObj(delta)) continue;
      if (typeof delta["role"] === "string") choice.role = delta["role"];
      if (typeof delta["content"] === "string") choice.content += delta["content"];
      if (typeof delta["refusal"] === "string") choice.refusal = (choice.refusal ?? "") + delta["refusal"];
      if (Array.isArray(delta["tool_calls"])) for (const call of delta["tool_calls"]) if (isObj(call)) addToolCall(choice, call);
    }
  }

  result(): unknown {
    if (this.completed !== undefined) return this.completed;
    if (this.outputItems.length > 0) return { object: "response", output: this.outputItems };
    if (this.head === undefined) return undefined;
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => {
        const message: Obj = { role: c.role, content: c.content === "" && c.toolCalls.size > 0 ? null : c.content };
        if (c.refusal !== undefined) message["refusal"] = c.refusal;
        if (c.toolCalls.size > 0) {
          message["tool_calls"] = [...c.toolCalls.entries()]
            .sort(([a], [b]) => a - b)
            .map(([, t]) => ({ id: t.id, type: t.type ?? "function", function: { name: t.name, arguments: t.arguments } }));
        }
        return { index, message, finish_reason: c.finishReason };
      });
    const head = this.head;
    const completion: Obj = { id: head["id"], object: "chat.completion", created: head["created"], model: head["model"], choices };
    if (head["system_fingerprint"] !== undefined) completion["system_fingerprint"] = head["system_fingerprint"];
    if (this.usage !== undefined) completion["usage"] = this.usage;
    return completion;
  }
}

function addToolCall(choice: ChoiceDraft, call: Obj): void {
  const index = typeof call["index"] === "number" ? call["index"] : choice.toolCalls.size;
  let draft = choice.toolCalls.get(index);
  if (draft === undefined) choice.toolCalls.set(index, (draft = { id: undefined, type: undefined, name: "", arguments: "" }));
  if (call["id"] !== undefined) draft.id = call["id"];
  if (call["type"] !== undefined) draft.type = call["type"];
  const fn = call["function"];
  if (isObj(fn)) {
    if (typeof fn["name"] === "string") draft.name += fn["name"];
    if (typeof fn["arguments"] === "string") draft.arguments += fn["arguments"];
  }
}
