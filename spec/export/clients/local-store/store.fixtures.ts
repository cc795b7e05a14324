/** Traces for the local-store and CLI specs: real ones from the tracing API, or synthetic ones. */
import { randomBytes } from "node:crypto";
import { getLastActiveTrace, startSpan } from "../../../../lib/index";
import { Trace, type TraceJson } from "../../../../lib/tracing/trace";

/** A real trace: a CHAIN root with a RETRIEVER and an LLM child carrying token usage and cost. */
export function makeRealTrace(name = "answer_question"): Trace {
  startSpan({ name, spanType: "CHAIN", inputs: { question: "What is MLflow?" } }, (root) => {
    startSpan({ name: "retrieve", spanType: "RETRIEVER", inputs: { query: "What is MLflow?" } }, (s) => {
      s.setOutputs([{ page_content: "MLflow is an open source platform.", metadata: {}, id: "1" }]);
    });
    startSpan({ name: "chat", spanType: "CHAT_MODEL", inputs: { messages: [{ role: "user", content: "What is MLflow?" }] } }, (s) => {
      s.setAttribute("mlflow.chat.tokenUsage", { input_tokens: 12, output_tokens: 30, total_tokens: 42 });
      s.setAttribute("mlflow.llm.cost", { input_cost: 0.0001, output_cost: 0.0011, total_cost: 0.0012 });
      s.setOutputs({ choices: [{ message: { role: "assistant", content: "An open source ML platform." } }] });
    });
    root.setOutputs("An open source ML platform.");
  });
  const trace = getLastActiveTrace();
  if (trace === undefined) throw new Error("no trace was recorded");
  return trace;
}

/** A one-span trace with a chosen id and start time (no tracing state involved). */
export function makeTrace(options: { readonly requestTime?: number; readonly name?: string; readonly traceId?: string } = {}): Trace {
  const hex = randomBytes(16).toString("hex");
  const traceId = options.traceId ?? `tr-${hex}`;
  const start = options.requestTime ?? Date.now();
  const json: TraceJson = {
    info: {
      trace_id: traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } },
      request_time: new Date(start).toISOString(),
      execution_duration_ms: 5,
      state: "OK",
      trace_metadata: { "mlflow.trace_schema.version": "3" },
      tags: { "mlflow.traceName": options.name ?? "synthetic" },
      assessments: [],
    },
    data: {
      spans: [
        {
          trace_id: Buffer.from(hex, "hex").toString("base64"),
          span_id: randomBytes(8).toString("base64"),
          parent_span_id: "",
          name: options.name ?? "synthetic",
          start_time_unix_nano: `${start}000000`,
          end_time_unix_nano: `${start + 5}000000`,
          status: { code: "STATUS_CODE_OK", message: "" },
          attributes: { "mlflow.traceRequestId": JSON.stringify(traceId), "mlflow.spanType": '"CHAIN"' },
          events: [],
        },
      ],
    },
  };
  return Trace.fromJSON(json);
}
