/**
 * The trace-level data MLflow's OTLP ingestion (`/v1/traces`) reads back from a trace's root span:
 * tags as `mlflow.traceTag.<key>` attributes, and the user and session as `user.id` / `session.id`.
 * With no StartTraceV3, these are what the server's trace record gets beyond what it derives from
 * the spans themselves.
 */
import type { Trace } from "../../tracing/trace";

const TRACE_TAG_PREFIX = "mlflow.traceTag.";

/**
 * The root span's extra attributes that carry `trace`'s tags, user and session over OTLP.
 *
 * @example
 * traceRecordRootAttributes(trace); // { "mlflow.traceTag.mlflow.traceName": "rag", "user.id": "u-1" }
 */
export function traceRecordRootAttributes(trace: Trace): Record<string, string> {
  const extra: Record<string, string> = {};
  const { tags, metadataSoFar: metadata } = trace.info;
  for (const key of Object.keys(tags)) extra[TRACE_TAG_PREFIX + key] = tags[key] as string;
  const user = metadata["mlflow.trace.user"];
  const session = metadata["mlflow.trace.session"];
  if (user !== undefined) extra["user.id"] = user;
  if (session !== undefined) extra["session.id"] = session;
  return extra;
}
