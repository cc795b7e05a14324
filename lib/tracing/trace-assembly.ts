/**
 * Turns a finished trace record into a {@link Trace}: span snapshots in nanoseconds, trace state,
 * token usage and cost summed without double counting, and MLflow's trace metadata and tags.
 */
import { perfToEpochMs } from "./clock";
import { snapshotLiveSpan, spanEndPerf, spanStartPerf, type LiveSpan } from "./live-span";
import type { JsonValue } from "./serialize";
import { isLevelOnly, SpanAttributeKey, type Span } from "./span";
import { Trace, TraceInfo, type ComputedPreviews, type LazyInfoParts, type TraceIdSource, type TraceState } from "./trace";
import type { TraceUpdates } from "./trace-updates";
import { traceSizeMetadata } from "./trace-size-stats";
import { environmentMetadata } from "./environment";
import { reportOnce } from "../internal/diagnostics";
import { roundTo12Digits } from "../internal/round-precision";
import { jsonPrefix } from "./json-prefix";
import { MAX_METADATA_LENGTH, putMetadata, traceTags } from "./info-limits";

/** MLflow's request/response preview limit for OSS servers. */
export const PREVIEW_MAX_LENGTH = 1000;

/** Python's `_truncate_metadata` for the trace's inputs and outputs: cut, ending in "...". */
export function truncateWithEllipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

const NO_UPDATES: TraceUpdates = Object.freeze({});
const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

const ENV_KEYS = [
  "mlflow.user",
  "mlflow.source.name",
  "mlflow.source.type",
  "mlflow.source.git.commit",
  "mlflow.source.git.repoURL",
  "mlflow.source.git.branch",
];
/** The environment object last checked for its usual keys (the provider may change). */
let checkedEnv: Readonly<Record<string, string>> | undefined;
let envHasUsualKeys = false;

/**
 * A fresh copy of the environment metadata plus the schema version. Built as an object literal
 * when the environment has its usual keys: spreading the frozen environment object cost ~5x more.
 */
function baseMetadata(): Record<string, string> {
  const env = environmentMetadata();
  if (env !== checkedEnv) {
    checkedEnv = env;
    envHasUsualKeys = Object.keys(env).join() === ENV_KEYS.join();
  }
  if (!envHasUsualKeys) return { ...env, "mlflow.trace_schema.version": "3" };
  return {
    "mlflow.user": env["mlflow.user"] as string,
    "mlflow.source.name": env["mlflow.source.name"] as string,
    "mlflow.source.type": env["mlflow.source.type"] as string,
    "mlflow.source.git.commit": env["mlflow.source.git.commit"] as string,
    "mlflow.source.git.repoURL": env["mlflow.source.git.repoURL"] as string,
    "mlflow.source.git.branch": env["mlflow.source.git.branch"] as string,
    "mlflow.trace_schema.version": "3",
  };
}

type NumberRecord = Record<string, number>;

/**
 * Sums a per-span JSON object attribute (token usage, cost) over the trace, counting a span only
 * when no ancestor carries the attribute (a wrapper span and the client span inside it report the
 * same tokens once), as MLflow's `aggregate_usage_from_spans` does.
 */
export function sumOutermost(spans: readonly Span[], key: string): NumberRecord | undefined {
  if (!anyHas(spans, key)) return undefined;
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

function anyHas(spans: readonly Span[], key: string): boolean {
  for (let i = 0; i < spans.length; i++) if ((spans[i] as Span).attributes[key] !== undefined) return true;
  return false;
}

function isNumberRecord(value: JsonValue | undefined): value is Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === "number");
}

function roundCost(cost: NumberRecord): NumberRecord {
  const out: NumberRecord = {};
  for (const key of Object.keys(cost)) out[key] = roundTo12Digits(cost[key] as number);
  return out;
}

/**
 * The JSON the previews are cut from: all of it for a small value (native `JSON.stringify` is
 * fastest there), only as much as the longest preview shows for a large one (a whole conversation).
 */
function previewJson(value: JsonValue | undefined, countedLength: number): string | undefined {
  if (value === undefined) return undefined;
  return countedLength <= PREVIEW_MAX_LENGTH / 2 ? JSON.stringify(value) : jsonPrefix(value, PREVIEW_MAX_LENGTH);
}

/**
 * What assembly reads of a completed trace record (a `TraceRecord`, which imports this file to
 * assemble its trace; structural, so this file does not import it back).
 */
export interface AssembledRecord extends TraceIdSource {
  readonly traceId: string;
  readonly root: LiveSpan | undefined;
  /** How many spans; `spanAt(i)` gives them in start order, the root first. */
  readonly spanCount: number;
  spanAt(index: number): LiveSpan;
  readonly updates: TraceUpdates | undefined;
}

/** A trace for `record`, assembled when first read. */
export function buildTrace(record: AssembledRecord): Trace {
  return Trace.lazy(assemble, record);
}

// A completed record gains no spans (a span started under it begins a new trace), so reading
// its spans later sees the spans it had when it completed.
function assemble(record: AssembledRecord, trace: Trace): void {
  const root = record.root as LiveSpan;
  const rootStart = spanStartPerf(root);
  const rootEndPerf = spanEndPerf(root);
  const rootEnd = rootEndPerf >= 0 ? rootEndPerf : rootStart;
  const count = record.spanCount;
  const spans: Span[] = new Array<Span>(count);
  // Token usage and cost are only looked for when a span set attributes of its own: a keyed
  // lookup in every span's attributes (whatever their shape) cost more than the rest of a span's snapshot.
  let ownAttributes = false;
  for (let i = 0; i < count; i++) {
    const span = snapshotLiveSpan(record.spanAt(i), rootEnd);
    if (!ownAttributes && !isLevelOnly(span.attributes)) ownAttributes = true;
    spans[i] = span;
  }
  const rootSpan = spans[0] as Span;
  const updates: TraceUpdates = record.updates ?? NO_UPDATES;
  const state: TraceState = updates.state ?? (rootSpan.status.code === "ERROR" ? "ERROR" : "OK");

  const metadata = baseMetadata();
  if (ownAttributes) {
    const usage = sumOutermost(spans, SpanAttributeKey.CHAT_USAGE);
    if (usage !== undefined) metadata["mlflow.trace.tokenUsage"] = JSON.stringify(usage);
    const cost = sumOutermost(spans, SpanAttributeKey.LLM_COST);
    if (cost !== undefined) metadata["mlflow.trace.cost"] = JSON.stringify(roundCost(cost));
  }
  const userMetadata = updates.metadata ?? NO_METADATA;
  if (updates.metadata !== undefined) putMetadata(metadata, userMetadata);

  const startMs = perfToEpochMs(rootStart);
  const info = new TraceInfo(
    {
      traceId: record.traceId,
      clientRequestId: updates.clientRequestId,
      requestTime: Math.floor(startMs),
      executionDuration: Math.max(0, Math.round(perfToEpochMs(rootEnd) - startMs)),
      state,
      requestPreview: updates.requestPreview,
      responsePreview: updates.responsePreview,
      tags: traceTags(rootSpan.name, updates.tags),
      metadata,
      assessments: updates.assessments,
    },
    new RootJsonParts(record, root, spans, userMetadata),
  );
  Trace.assembled(trace, info, spans);
}

/**
 * The previews and the late metadata (`mlflow.traceInputs`/`Outputs`, size stats) of one trace, from
 * the root's JSON, written when one of them is first read (a client that sends spans only never pays
 * for it). One object per trace, where closures cost three and their context.
 */
class RootJsonParts implements LazyInfoParts {
  private json: { inputs: string | undefined; outputs: string | undefined } | undefined = undefined;

  constructor(
    private readonly record: AssembledRecord,
    private readonly root: LiveSpan,
    private readonly spans: readonly Span[],
    private readonly userMetadata: Readonly<Record<string, string>>,
  ) {}

  private rootJson(): { inputs: string | undefined; outputs: string | undefined } {
    const rootSpan = this.spans[0] as Span;
    return (this.json ??= {
      inputs: previewJson(rootSpan.inputs, this.root.valueLength("inputs")),
      outputs: previewJson(rootSpan.outputs, this.root.valueLength("outputs")),
    });
  }

  previews(): ComputedPreviews {
    const { inputs, outputs } = this.rootJson();
    const previews: ComputedPreviews = {};
    if (inputs !== undefined) previews.request = truncateWithEllipsis(inputs, PREVIEW_MAX_LENGTH);
    if (outputs !== undefined) previews.response = truncateWithEllipsis(outputs, PREVIEW_MAX_LENGTH);
    return previews;
  }

  lateMetadata(self: TraceInfo, add: (entries: Readonly<Record<string, string>>) => void): void {
    const { inputs, outputs } = this.rootJson();
    const io: Record<string, string> = {};
    // A value the user set with updateCurrentTrace wins, as it did when these were written first.
    if (inputs !== undefined && this.userMetadata["mlflow.traceInputs"] === undefined)
      io["mlflow.traceInputs"] = truncateWithEllipsis(inputs, MAX_METADATA_LENGTH);
    if (outputs !== undefined && this.userMetadata["mlflow.traceOutputs"] === undefined)
      io["mlflow.traceOutputs"] = truncateWithEllipsis(outputs, MAX_METADATA_LENGTH);
    add(io);
    try {
      add(traceSizeMetadata(self.toJSON(), this.spans));
      return;
    } catch (error) {
      reportOnce("trace-size-stats", "warn", `could not compute the size stats of trace ${this.record.traceId}; it is exported without them`, error);
    }
  }
}
