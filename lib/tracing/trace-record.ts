/**
 * The bookkeeping of one trace while its spans run: which spans are open, trace-level tags and
 * metadata, and completion — when the root and every child have ended, or when the bounded wait
 * for late children runs out.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { spanEndPerf, spanOwnerOf, spanStartPerf, type LiveSpan, type SpanOwner } from "./live-span";
import { type Trace } from "./trace";
import { buildTrace } from "./trace-assembly";
import { publishTrace } from "./completed-traces";
import { mlflowTraceId, newOtelTraceId } from "./ids";
import { keptByTailRules } from "./tail-sampling";
import { estimateRecordBytes } from "./record-size";
import type { TraceUpdates } from "./trace-updates";

export class TraceRecord implements SpanOwner {
  /** The span id of a parent outside this SDK (W3C or OpenTelemetry), or null. */
  readonly externalParentSpanId: string | null;
  root: LiveSpan | undefined = undefined;
  /** The spans after the root, in start order; most traces of one span never allocate it. */
  private descendants: LiveSpan[] | undefined = undefined;
  open = 0;
  /** What `updateCurrentTrace` set; created on first use (most traces never need it). */
  updates: TraceUpdates | undefined = undefined;
  /** Dropped by head sampling but recorded for the tail rules, which decide when it completes. */
  headDropped = false;
  private done = false;
  private lateTimer: NodeJS.Timeout | undefined = undefined;
  // Ids are drawn when first read (mostly by the exporter, off the caller's path).
  private otelTraceIdValue: string | undefined;
  private traceIdValue: string | undefined = undefined;

  /** `otelTraceId`: the trace id of an outside parent to continue; a new one is drawn otherwise. */
  constructor(otelTraceId: string | undefined, externalParentSpanId: string | null) {
    this.otelTraceIdValue = otelTraceId;
    this.externalParentSpanId = externalParentSpanId;
  }

  /** 32 lowercase hex digits. */
  get otelTraceId(): string {
    return (this.otelTraceIdValue ??= newOtelTraceId());
  }

  /** The MLflow trace id (`tr-` + 32 hex). */
  get traceId(): string {
    return (this.traceIdValue ??= mlflowTraceId(this.otelTraceId));
  }

  /** The trace id if anyone could know it yet (it was read, or continues an outside trace); no id is drawn. */
  get knownTraceId(): string | undefined {
    return this.otelTraceIdValue === undefined ? undefined : this.traceId;
  }

  /** Whether the trace has been handed over; spans started under it now begin a new trace. */
  get completed(): boolean {
    return this.done;
  }

  /** Every span of the trace in start order, so parents precede their children. */
  get spans(): LiveSpan[] {
    if (this.root === undefined) return [];
    return this.descendants === undefined ? [this.root] : [this.root, ...this.descendants];
  }

  /** How many spans the trace has; with {@link spanAt}, its spans without a list built for them. */
  get spanCount(): number {
    return this.root === undefined ? 0 : this.descendants === undefined ? 1 : 1 + this.descendants.length;
  }

  /** The `index`-th span in start order (0: the root), for `index` below {@link spanCount}. */
  spanAt(index: number): LiveSpan {
    return (index === 0 ? this.root : (this.descendants as LiveSpan[])[index - 1]) as LiveSpan;
  }

  /** Approximate JSON bytes of the assembled trace, from the lengths its spans counted. */
  estimateBytes(): number {
    return estimateRecordBytes(this);
  }

  spanStarted(span: LiveSpan): void {
    if (this.root === undefined) this.root = span;
    else (this.descendants ??= []).push(span);
    this.open++;
  }

  spanEnded(span: LiveSpan): void {
    if (this.done) {
      reportOnce("late-span", "warn", `span "${span.name}" ended after its trace ${this.traceId} was exported; it was not recorded (counted as late-span)`);
      return;
    }
    this.open--;
    if (this.root === undefined || !this.root.ended) return;
    if (this.open === 0) {
      this.complete();
    } else if (this.lateTimer === undefined) {
      this.lateTimer = setTimeout(() => this.complete(), sdkState().lateSpanWaitMs);
      this.lateTimer.unref();
    }
  }

  private keptByTailRules(): boolean {
    const root = this.root;
    if (root === undefined) return false;
    return keptByTailRules({
      state: this.updates?.state,
      rootStatusCode: root.status.code,
      rootStartPerf: spanStartPerf(root),
      rootEndPerf: spanEndPerf(root),
    });
  }

  private complete(): void {
    if (this.done) return;
    this.done = true;
    if (this.lateTimer !== undefined) clearTimeout(this.lateTimer);
    if (this.open > 0) {
      reportOnce(
        "late-span",
        "warn",
        `trace ${this.traceId} was exported with ${this.open} span(s) still open after waiting ${sdkState().lateSpanWaitMs} ms (counted as late-span)`,
      );
    }
    if (this.headDropped && !this.keptByTailRules()) return;
    let trace: Trace;
    try {
      trace = buildTrace(this);
    } catch (error) {
      reportOnce("trace-assembly", "error", `could not assemble trace ${this.traceId}`, error);
      return;
    }
    publishTrace(trace);
  }
}

/**
 * @internal The span's trace record (for the tracing core, the OpenTelemetry bridge and assessments).
 * The same function as `spanOwnerOf`, typed whole: every span is created with a `TraceRecord`
 * (`span-factory.ts`, `noop-span.ts`), which `live-span.ts` cannot name without a cycle.
 */
export const traceRecordOf = spanOwnerOf as (span: LiveSpan) => TraceRecord;
