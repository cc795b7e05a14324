/**
 * The span handed to user code when tracing is off or a span could not be created: every method
 * is a no-op, so user code never needs to check.
 */
import { LiveSpan } from "./live-span";
import { TraceRecord } from "./trace-record";

class NoOpTraceRecord extends TraceRecord {
  override spanStarted(): void {}
  override spanEnded(): void {}
}

class NoOpSpan extends LiveSpan {
  override get spanId(): string { return "0000000000000000"; }
  override setInputs(): this { return this; }
  override setOutputs(): this { return this; }
  override setAttribute(): this { return this; }
  override setAttributes(): this { return this; }
  override setSpanType(): this { return this; }
  override setStatus(): this { return this; }
  override addEvent(): this { return this; }
  override recordException(): this { return this; }
  override adoptSafeAttributes(): void {}
  override addSafeAttributes(): void {}
  override adoptInputs(): void {}
  override end(): void {}
}

/** The shared no-op span (`spanId` and `traceId` are all zeros). */
export const NOOP_SPAN: LiveSpan = new NoOpSpan(
  new NoOpTraceRecord("00000000000000000000000000000000", null),
  undefined,
  "noop",
  "UNKNOWN",
);

export function isNoOpSpan(span: LiveSpan): boolean {
  return span === NOOP_SPAN;
}
