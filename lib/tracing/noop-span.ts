/**
 * The span handed to user code when tracing is off or a span could not be created: every method
 * is a no-op, so user code never needs to check.
 */
import { newSpanId } from "./ids";
import { LiveSpan } from "./live-span";
import { TraceRecord } from "./trace-record";

class NoOpTraceRecord extends TraceRecord {
  override spanStarted(): void {}
  override spanEnded(): void {}
}

class NoOpSpan extends LiveSpan {
  override get spanId(): string {
    return "0000000000000000";
  }
  override setInputs(): this {
    return this;
  }
  override setOutputs(): this {
    return this;
  }
  override setAttribute(): this {
    return this;
  }
  override setAttributes(): this {
    return this;
  }
  override setSpanType(): this {
    return this;
  }
  override setStatus(): this {
    return this;
  }
  override addEvent(): this {
    return this;
  }
  override recordException(): this {
    return this;
  }
  override adoptSafeAttributes(): void {}
  override addSafeAttributes(): void {}
  override adoptInputs(): void {}
  override end(): void {}
}

/** The shared no-op span (`spanId` and `traceId` are all zeros). */
export const NOOP_SPAN: LiveSpan = new NoOpSpan(new NoOpTraceRecord("00000000000000000000000000000000", null), undefined, "noop", "UNKNOWN");

/**
 * The root of a trace the sampler dropped: a no-op span that is made active, so the spans inside
 * it are no-ops too (one decision per trace) and outgoing requests carry its trace id with the
 * sampled flag off, as OpenTelemetry's non-recording spans do.
 */
export class DroppedSpan extends NoOpSpan {
  private droppedSpanId: string | undefined = undefined;
  /** @internal Whether code already runs with this span active (it is entered once, at the root). */
  entered = false;
  /** `otelTraceId`: the id the sampling decision read, or undefined to draw one if it is ever read. */
  constructor(otelTraceId: string | undefined, externalParentSpanId: string | null) {
    // No clock read: a dropped span has no times, and the clock costs more than the rest here. A
    // plain record (no span ever starts or ends in it): building the subclass cost twice the rest.
    super(new TraceRecord(otelTraceId, externalParentSpanId), undefined, "dropped", "UNKNOWN", 0);
  }
  override get spanId(): string {
    return (this.droppedSpanId ??= newSpanId());
  }
}

/** Whether `span` records nothing (tracing off, a dropped trace, or a span that failed to start). */
export function isNoOpSpan(span: LiveSpan): boolean {
  return span instanceof NoOpSpan;
}

/** Whether `span` is the root of a trace the sampler dropped. */
export function isDroppedSpan(span: LiveSpan): span is DroppedSpan {
  return span instanceof DroppedSpan;
}
