/**
 * A span while it runs. Every method is safe to call at any time: after `end()` changes are
 * ignored, and no method throws into user code.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { nowPerf, perfToEpochNs } from "./clock";
import { newSpanId } from "./ids";
import { lastSnapshotLength, toJsonSafe, toJsonSafeEntry, toJsonSafeOwned, type JsonValue } from "./serialize";
import { DEFAULT_MAX_SPAN_LENGTH } from "./snapshotter";
import type { SpanEvent, SpanStatus, SpanStatusCode } from "./span";
import { redactText } from "./redaction";
import type { TraceRecord } from "./trace-record";
import { recordBytes, valueBytes } from "./value-bytes";

/** Event attributes as OpenTelemetry allows them: primitives (other values are JSON-encoded). */
export type EventAttributes = Record<string, unknown>;

const UNSET: SpanStatus = { code: "UNSET", description: "" };

export class LiveSpan {
  /** @internal */ readonly record: TraceRecord;
  /** @internal */ readonly parent: LiveSpan | undefined;
  /** @internal */ readonly startPerf: number;
  /** @internal */ endPerf = -1;
  /** @internal */ inputsValue: JsonValue | undefined = undefined;
  /** @internal */ outputsValue: JsonValue | undefined = undefined;
  /** @internal */ attributesValue: Record<string, JsonValue> | undefined = undefined;
  /** True while `attributesValue` is a shared, read-only object (copied on first write). */
  private sharedAttributes = false;
  /** @internal */ eventsValue: SpanEvent[] | undefined = undefined;
  /** @internal */ statusValue: SpanStatus = UNSET;
  /** About how many chars of JSON the attributes and events take together (capped by `maxSpanLength`). */
  private addedLength = 0;
  /** Chars of JSON of the inputs and outputs, counted when snapshotted; -1: adopted uncounted (walked when sized). */
  private inputsLength = 0;
  private outputsLength = 0;
  /** Whether adopted attributes are not in `addedLength` (then the size estimate walks them). */
  private attributesUncounted = false;
  private spanIdValue: string | undefined = undefined;
  private spanTypeValue: string;
  private nameValue: string;

  /** @internal Use `startSpan` or `traced`. */
  constructor(record: TraceRecord, parent: LiveSpan | undefined, name: string, spanType: string) {
    this.record = record;
    this.parent = parent;
    this.nameValue = name;
    this.spanTypeValue = spanType;
    this.startPerf = nowPerf();
  }

  /** 16 lowercase hex digits (drawn when first read). */
  get spanId(): string {
    return (this.spanIdValue ??= newSpanId());
  }
  get name(): string {
    return this.nameValue;
  }
  /** The MLflow trace id (`tr-` + 32 hex). */
  get traceId(): string {
    return this.record.traceId;
  }
  get parentId(): string | null {
    return this.parent === undefined ? this.record.externalParentSpanId : this.parent.spanId;
  }
  get spanType(): string {
    return this.spanTypeValue;
  }
  /** Whether the span has ended. */
  get ended(): boolean {
    return this.endPerf >= 0;
  }
  get inputs(): JsonValue | undefined {
    return this.inputsValue;
  }
  get outputs(): JsonValue | undefined {
    return this.outputsValue;
  }
  get attributes(): Readonly<Record<string, JsonValue>> {
    return this.attributesValue ?? {};
  }
  get status(): SpanStatus {
    return this.statusValue;
  }

  /** Records the span's inputs, snapshotted now (later mutation of `inputs` does not show). */
  setInputs(inputs: unknown): this {
    if (this.writable("setInputs")) {
      this.inputsValue = toJsonSafe(inputs, sdkState().limits);
      this.inputsLength = lastSnapshotLength();
    }
    return this;
  }

  /** @internal Records inputs built for this span alone (see `toJsonSafeOwned`). */
  adoptInputs(inputs: Record<string, unknown>): void {
    if (this.writable("setInputs")) {
      this.inputsValue = toJsonSafeOwned(inputs, sdkState().limits);
      this.inputsLength = lastSnapshotLength();
    }
  }

  /**
   * @internal Records inputs already made JSON-safe (see `composeSafe`); they must not change.
   * `length`: the chars of JSON they take, when counted (else the size estimate walks them).
   */
  adoptSafeInputs(inputs: JsonValue, length = -1): void {
    if (this.writable("setInputs")) {
      this.inputsValue = inputs;
      this.inputsLength = length;
    }
  }

  /** @internal Records outputs already made JSON-safe, as {@link adoptSafeInputs}. */
  adoptSafeOutputs(outputs: JsonValue, length = -1): void {
    if (this.writable("setOutputs")) {
      this.outputsValue = outputs;
      this.outputsLength = length;
    }
  }

  /** @internal Adds attributes already made JSON-safe that take `length` chars of JSON (see `composeSafeCounted`). */
  addSafeAttributes(attributes: Readonly<Record<string, JsonValue>>, length: number): void {
    if (!this.writable("setAttributes")) return;
    Object.assign(this.ownAttributes(), attributes);
    this.addedLength += length;
  }

  /** Records the span's outputs, snapshotted now. */
  setOutputs(outputs: unknown): this {
    if (this.writable("setOutputs")) {
      this.outputsValue = toJsonSafe(outputs, sdkState().limits);
      this.outputsLength = lastSnapshotLength();
    }
    return this;
  }

  setAttribute(key: string, value: unknown): this {
    if (!this.writable("setAttribute")) return this;
    const name = String(key);
    this.ownAttributes()[name] = toJsonSafeEntry(name, value, sdkState().limits, this.room());
    this.addedLength += lastSnapshotLength() + name.length;
    return this;
  }

  setAttributes(attributes: Record<string, unknown>): this {
    if (!this.writable("setAttributes")) return this;
    // Through the serializer, which survives throwing getters and proxies, then copied key by key.
    const safe = toJsonSafe(attributes, sdkState().limits, this.room());
    this.addedLength += lastSnapshotLength();
    if (typeof safe !== "object" || safe === null || Array.isArray(safe)) return this;
    Object.assign(this.ownAttributes(), safe);
    return this;
  }

  /** What a new attribute or event may take: `maxSpanLength` less what the earlier ones took. */
  private room(): number {
    return (sdkState().limits.maxSpanLength ?? DEFAULT_MAX_SPAN_LENGTH) - this.addedLength;
  }

  /**
   * @internal Adopts attributes already made JSON-safe, plus `extra`. Without `extra` the object
   * is shared until the span's first own attribute write copies it, so it must not change.
   */
  adoptSafeAttributes(attributes: Readonly<Record<string, JsonValue>>, extra?: Readonly<Record<string, JsonValue>>): void {
    this.attributesUncounted = true;
    if (this.attributesValue !== undefined) {
      Object.assign(this.ownAttributes(), attributes, extra);
    } else if (extra === undefined) {
      this.attributesValue = attributes as Record<string, JsonValue>;
      this.sharedAttributes = true;
    } else {
      this.attributesValue = { ...attributes, ...extra };
    }
  }

  private ownAttributes(): Record<string, JsonValue> {
    if (this.sharedAttributes) {
      this.attributesValue = { ...this.attributesValue };
      this.sharedAttributes = false;
    }
    return (this.attributesValue ??= {});
  }

  /**
   * @internal About how many chars of JSON this span's name, values, attributes and events take,
   * mostly from lengths counted when they were snapshotted (see `estimateRecordBytes`).
   */
  countedBytes(): number {
    let n = this.nameValue.length + this.valueLength("inputs") + this.valueLength("outputs");
    if (!this.attributesUncounted) return n + this.addedLength;
    n += recordBytes(this.attributesValue ?? {});
    for (const event of this.eventsValue ?? []) n += 60 + event.name.length + recordBytes(event.attributes);
    return n;
  }

  /** @internal Chars of JSON the inputs (or outputs) take, walked once if they were adopted uncounted. */
  valueLength(which: "inputs" | "outputs"): number {
    if (which === "inputs") return this.inputsLength >= 0 ? this.inputsLength : (this.inputsLength = valueBytes(this.inputsValue));
    return this.outputsLength >= 0 ? this.outputsLength : (this.outputsLength = valueBytes(this.outputsValue));
  }

  setSpanType(spanType: string): this {
    if (this.writable("setSpanType")) this.spanTypeValue = spanType;
    return this;
  }

  /** Sets the status: `"OK"`, `"ERROR"` (with an optional description) or a status object. */
  setStatus(status: SpanStatusCode | SpanStatus, description = ""): this {
    if (!this.writable("setStatus")) return this;
    try {
      const code = String(typeof status === "string" ? status : status.code).toUpperCase();
      const text = typeof status === "string" ? description : status.description;
      this.statusValue = { code: code === "OK" || code === "ERROR" ? code : "UNSET", description: typeof text === "string" ? redactText(text) : "" };
    } catch (error) {
      reportOnce("span-status", "warn", `setStatus() on span "${this.nameValue}" got an unreadable status; ignored`, error);
    }
    return this;
  }

  /** Adds a timestamped event. Non-primitive attribute values are JSON-encoded. */
  addEvent(name: string, attributes: EventAttributes = {}, timeNs?: bigint): this {
    if (!this.writable("addEvent")) return this;
    (this.eventsValue ??= []).push({
      name,
      timeNs: timeNs ?? perfToEpochNs(nowPerf()),
      attributes: primitiveAttributes(attributes, this.room()),
    });
    this.addedLength += lastSnapshotLength() + String(name).length + 40;
    return this;
  }

  /** Records an `exception` event (type, message, stack trace) and sets the status to ERROR. */
  recordException(error: unknown): this {
    if (!this.writable("recordException")) return this;
    const { type, message, stack } = describeException(error);
    this.addEvent("exception", { "exception.type": type, "exception.message": message, "exception.stacktrace": stack });
    this.statusValue = { code: "ERROR", description: redactText(`${type}: ${message}`) };
    return this;
  }

  /** Ends the span; optional final outputs, attributes and status. A second call is ignored. */
  end(options?: { outputs?: unknown; attributes?: Record<string, unknown>; status?: SpanStatusCode }): void {
    if (this.ended) return;
    try {
      if (options != null) this.applyEndOptions(options);
    } finally {
      this.endPerf = nowPerf();
      this.record.spanEnded(this);
    }
  }

  private applyEndOptions(options: { outputs?: unknown; attributes?: Record<string, unknown>; status?: SpanStatusCode }): void {
    if (options.outputs !== undefined) this.setOutputs(options.outputs);
    if (options.attributes !== undefined) this.setAttributes(options.attributes);
    if (options.status !== undefined) this.setStatus(options.status);
  }

  private writable(operation: string): boolean {
    if (this.endPerf < 0) return true;
    reportOnce(`span-ended.${operation}`, "debug", `${operation}() on span "${this.nameValue}" after it ended was ignored`);
    return false;
  }
}

/**
 * Event attributes as OpenTelemetry primitives: copied through the serializer (one size budget
 * for the event, secrets redacted by name), then composite values JSON-encoded.
 */
function primitiveAttributes(attributes: EventAttributes, budget: number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const safe = toJsonSafe(attributes, sdkState().limits, budget);
  if (typeof safe !== "object" || safe === null || Array.isArray(safe)) return out;
  for (const key of Object.keys(safe)) {
    const value = safe[key] as JsonValue;
    out[key] = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : JSON.stringify(value);
  }
  return out;
}

/** Type, message and stack of anything thrown, read defensively. */
export function describeException(error: unknown): { type: string; message: string; stack: string } {
  try {
    if (error instanceof Error) {
      const name = error.constructor?.name && error.constructor.name !== "Error" ? error.constructor.name : error.name;
      const type = String(name);
      const message = String(error.message);
      return { type, message, stack: String(error.stack ?? `${type}: ${message}`) };
    }
    const message = typeof error === "string" ? error : JSON.stringify(toJsonSafe(error, sdkState().limits));
    return { type: typeof error === "object" && error !== null ? "Object" : typeof error, message, stack: message };
  } catch {
    return { type: "Unknown", message: "unreadable exception", stack: "" };
  }
}
