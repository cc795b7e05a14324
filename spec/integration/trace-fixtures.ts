/**
 * Real traces built with the public tracing API (`startSpan`), shaped like a small RAG run:
 * a CHAIN root, a RETRIEVER, a CHAT_MODEL with token usage and an ERROR tool span.
 */
import { getLastActiveTrace, startSpan, updateCurrentTrace, type Trace } from "../../lib/index";

export const QUESTION = "What is MLflow?";
export const ANSWER = "An open source ML platform.";
export const DOCS = [{ page_content: "MLflow is an open source platform.", metadata: { doc_uri: "a.md" }, id: "1" }];
export const USAGE = { input_tokens: 12, output_tokens: 30, total_tokens: 42 };

/** A finished trace with nested spans, tags, metadata, token usage and one failing child span. */
export async function buildRagTrace(runTag: string): Promise<Trace> {
  await startSpan({ name: "answer_question", spanType: "CHAIN", inputs: { question: QUESTION } }, async () => {
    updateCurrentTrace({ tags: { env: "integration", run: runTag }, metadata: { "mlflow.trace.user": "user-42", "mlflow.trace.session": "session-7" } });
    await startSpan({ name: "retrieve", spanType: "RETRIEVER", inputs: { query: QUESTION } }, async () => DOCS);
    await startSpan(
      {
        name: "chat",
        spanType: "CHAT_MODEL",
        inputs: { model: "gpt-4o-mini", messages: [{ role: "user", content: QUESTION }] },
        attributes: { "mlflow.chat.tokenUsage": USAGE, "mlflow.llm.model": "gpt-4o-mini", "mlflow.message.format": "openai" },
      },
      async () => ({ choices: [{ message: { role: "assistant", content: ANSWER } }] }),
    );
    try {
      startSpan({ name: "flaky_tool", spanType: "TOOL", inputs: { attempt: 1 } }, () => {
        throw new TypeError("boom");
      });
    } catch {
      // recorded on the span; the chain goes on
    }
    return ANSWER;
  });
  return lastTrace("answer_question");
}

/** A trace whose root span throws: state ERROR. */
export async function buildFailedTrace(): Promise<Trace> {
  try {
    await startSpan({ name: "failing_pipeline", spanType: "CHAIN", inputs: { x: 1 } }, async () => {
      throw new RangeError("pipeline exploded");
    });
  } catch {
    // expected
  }
  return lastTrace("failing_pipeline");
}

function lastTrace(rootName: string): Trace {
  const trace = getLastActiveTrace();
  if (trace === undefined || trace.rootSpan?.name !== rootName) throw new Error(`trace "${rootName}" was not completed`);
  return trace;
}

/** What must survive a round trip, per span, in a stable order. */
export function spanSummary(trace: Trace): unknown[] {
  const byId = new Map(trace.data.spans.map((s) => [s.spanId, s.name]));
  return [...trace.data.spans]
    .sort((a, b) => (a.startTimeNs < b.startTimeNs ? -1 : a.startTimeNs > b.startTimeNs ? 1 : a.name.localeCompare(b.name)))
    .map((s) => ({
      name: s.name,
      spanId: s.spanId,
      parent: s.parentId === null ? null : byId.get(s.parentId),
      spanType: s.spanType,
      inputs: s.inputs,
      outputs: s.outputs,
      status: s.status,
      events: s.events.map((e) => ({ name: e.name, timeNs: e.timeNs.toString(), attributes: e.attributes })),
      startTimeNs: s.startTimeNs.toString(),
      endTimeNs: s.endTimeNs.toString(),
    }));
}
