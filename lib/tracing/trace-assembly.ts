/**
 * Turns a finished trace record into a {@link Trace}: span snapshots in nanoseconds, trace state,
 * token usage and cost summed without double counting, and MLflow's trace metadata and tags.
 */
import { perfToEpochMs, perfToEpochNs } from "./clock";
import type { LiveSpan } from "./live-span";
import type { JsonValue } from "./serialize";
import { SpanAttributeKey, type Span } from "./span";
import { Trace, TraceInfo, type TraceState } from "./trace";
import type { TraceRecord } from "./trace-record";
import { traceSizeMetadata } from "./trace-size-stats";
import { environmentMetadata } from "./environment";
import { reportOnce } from "../internal/diagnostics";

/** MLflow truncates trace metadata values to 250 characters. */
export const MAX_METADATA_VALUE_LENGTH = 250;
/** MLflow's request/response preview limit for OSS servers. */
export const PREVIEW_MAX_LENGTH = 1000;

export function truncateWithEllipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function snapshotSpan(live: LiveSpan, fallbackEndPerf: number): Span {
  const end = live.endPerf >= 0 ? live.endPerf : fallbackEndPerf;
  return {
    name: live.name,
    spanId: live.spanId,
    traceId: live.traceId,
    parentId: live.parentId,
    spanType: live.spanType,
    inputs: live.inputsValue,
    outputs: live.outputsValue,
    attributes: live.attributesValue ?? {},
    status: live.statusValue.code === "UNSET" && live.endPerf >= 0 ? { code: "OK", description: "" } : live.statusValue,
    events: live.eventsValue ?? [],
    startTimeNs: perfToEpochNs(live.startPerf),
    endTimeNs: perfToEpochNs(end),
  };
}

type NumberRecord = Record<string, number>;

/**
 * Sums a per-span JSON object attribute (token usage, cost) over the trace, counting a span only
 * when no ancestor carries the attribute (a wrapper span and the client span inside it report the
 * same tokens once), as MLflow's `aggregate_usage_from_spans` does.
 */
export function sumOutermost(spans: readonly Span[], key: string): NumberRecord | undefined {
  if (!spans.some((s) => s.attributes[key] !== undefined)) return undefined;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  let total: NumberRecord | undefined;
  for (const span of spans) {
    const value = span.attributes[key];
    if (!isNumberRecord(value)) continue;
    let ancestor = span.parentId === null ? undefined : byId.get(span.parentId);
    let covered = false;
    while (ancestor !== undefined) {
      if (isNumberRecord(ancestor.attributes[key])) {
        covered = true;
        break;
      }
      ancestor = ancestor.parentId === null ? undefined : byId.get(ancestor.parentId);
    }
    if (covered) continue;
    total ??= {};
    for (const field of Object.keys(value)) total[field] = (total[field] ?? 0) + (value[field] as number);
  }
  return total;
}

function isNumberRecord(value: JsonValue | undefined): value is Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === "number");
}

function roundCost(cost: NumberRecord): NumberRecord {
  const out: NumberRecord = {};
  for (const key of Object.keys(cost)) out[key] = Number((cost[key] as number).toPrecision(12));
  return out;
}

/** A trace for `record`, assembled when first read. */
export function buildTrace(record: TraceRecord): Trace {
  return Trace.lazy(assemble, record);
}

// A completed record gains no spans (a span started under it begins a new trace), so reading
// `record.spans` later sees the spans it had when it completed.
function assemble(record: TraceRecord): { info: TraceInfo; spans: Span[] } {
  const root = record.root as LiveSpan;
  const rootEnd = root.endPerf >= 0 ? root.endPerf : root.startPerf;
  const spans = record.spans.map((span) => snapshotSpan(span, rootEnd));
  const rootSpan = spans[0] as Span;
  const updates = record.updates ?? {};
  const state: TraceState = updates.state ?? (rootSpan.status.code === "ERROR" ? "ERROR" : "OK");

  const metadata: Record<string, string> = { ...environmentMetadata(), "mlflow.trace_schema.version": "3" };
  const usage = sumOutermost(spans, SpanAttributeKey.CHAT_USAGE);
  if (usage !== undefined) metadata["mlflow.trace.tokenUsage"] = JSON.stringify(usage);
  const cost = sumOutermost(spans, SpanAttributeKey.LLM_COST);
  if (cost !== undefined) metadata["mlflow.trace.cost"] = JSON.stringify(roundCost(cost));
  const inputsJson = rootSpan.inputs === undefined ? undefined : JSON.stringify(rootSpan.inputs);
  const outputsJson = rootSpan.outputs === undefined ? undefined : JSON.stringify(rootSpan.outputs);
  if (inputsJson !== undefined) metadata["mlflow.traceInputs"] = truncateWithEllipsis(inputsJson, MAX_METADATA_VALUE_LENGTH);
  if (outputsJson !== undefined) metadata["mlflow.traceOutputs"] = truncateWithEllipsis(outputsJson, MAX_METADATA_VALUE_LENGTH);
  const userMetadata = updates.metadata ?? {};
  for (const key of Object.keys(userMetadata)) {
    metadata[key] = truncateWithEllipsis(userMetadata[key] as string, MAX_METADATA_VALUE_LENGTH);
  }

  const startMs = perfToEpochMs(root.startPerf);
  const info = new TraceInfo(
    {
      traceId: record.traceId,
      clientRequestId: updates.clientRequestId,
      requestTime: Math.floor(startMs),
      executionDuration: Math.max(0, Math.round(perfToEpochMs(rootEnd) - startMs)),
      state,
      requestPreview: updates.requestPreview,
      responsePreview: updates.responsePreview,
      tags: { "mlflow.traceName": rootSpan.name, ...updates.tags },
      metadata,
    },
    () => {
      const previews: { request?: string; response?: string } = {};
      if (inputsJson !== undefined) previews.request = truncateWithEllipsis(inputsJson, PREVIEW_MAX_LENGTH);
      if (outputsJson !== undefined) previews.response = truncateWithEllipsis(outputsJson, PREVIEW_MAX_LENGTH);
      return previews;
    },
    (self) => {
      try {
        return traceSizeMetadata(self.toJSON(), spans);
      } catch (error) {
        reportOnce("trace-size-stats", "warn", `could not compute the size stats of trace ${record.traceId}; it is exported without them`, error);
        return {};
      }
    },
  );
  return { info, spans };
}
