/**
 * The bookkeeping of one trace while its spans run: which spans are open, trace-level tags and
 * metadata, and completion — when the root and every child have ended, or when the bounded wait
 * for late children runs out.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import type { LiveSpan } from "./live-span";
import { Trace } from "./trace";
import { buildTrace } from "./trace-assembly";
import { publishTrace } from "./completed-traces";

export class TraceRecord {
  readonly traceId: string;
  readonly otelTraceId: string;
  /** The span id of a parent outside this SDK (W3C or OpenTelemetry), or null. */
  readonly externalParentSpanId: string | null;
  root: LiveSpan | undefined = undefined;
  /** Every span of the trace in start order, so parents precede their children. */
  readonly spans: LiveSpan[] = [];
  open = 0;
  /** Set by `updateCurrentTrace`; created on first use. */
  tags: Record<string, string> | undefined = undefined;
  metadata: Record<string, string> | undefined = undefined;
  stateOverride: "OK" | "ERROR" | undefined = undefined;
  clientRequestId: string | undefined = undefined;
  requestPreview: string | undefined = undefined;
  responsePreview: string | undefined = undefined;
  private done = false;
  private lateTimer: NodeJS.Timeout | undefined = undefined;

  constructor(otelTraceId: string, traceId: string, externalParentSpanId: string | null) {
    this.otelTraceId = otelTraceId;
    this.traceId = traceId;
    this.externalParentSpanId = externalParentSpanId;
  }

  /** Whether the trace has been handed over; spans started under it now begin a new trace. */
  get completed(): boolean {
    return this.done;
  }

  spanStarted(span: LiveSpan): void {
    if (this.root === undefined) this.root = span;
    this.spans.push(span);
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

  private complete(): void {
    if (this.done) return;
    this.done = true;
    if (this.lateTimer !== undefined) clearTimeout(this.lateTimer);
    if (this.open > 0) {
      reportOnce("late-span", "warn", `trace ${this.traceId} was exported with ${this.open} span(s) still open after waiting ${sdkState().lateSpanWaitMs} ms (counted as late-span)`);
    }
    let trace: Trace;
    try {
      trace = buildTrace(this);
    } catch (error) {
      reportOnce("trace-assembly", "error", `could not assemble trace ${this.traceId}`, error);
      return;
    }
    publishTrace(this.traceId, trace);
  }
}
