/**
 * A span while it runs. Its bookkeeping is in `#private` fields; the tracing core reads it
 * through the accessors at the end of this file, which the package does not export.
 */
import { inspect, type InspectOptions } from "node:util";
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { nowPerf, perfToEpochNs } from "./clock";
import { newSpanId } from "./ids";
import { lastSnapshotLength, toJsonSafe, toJsonSafeEntry, toJsonSafeOwned, type JsonValue } from "./serialize";
import { DEFAULT_MAX_SPAN_LENGTH } from "./snapshotter";
import { withSpanLogLevel, type Span, type SpanEvent, type SpanStatus, type SpanStatusCode } from "./span";
import { describeException } from "./describe-exception";
import { redactText } from "../internal/redaction";
import { recordBytes, valueBytes } from "./value-bytes";
import { inspectLiveSpan, liveSpanJson, type LiveSpanFields, type LiveSpanJson } from "./live-span-view";

/** Event attributes as OpenTelemetry allows them: primitives (other values are JSON-encoded). */
export type EventAttributes = Record<string, unknown>;

const UNSET: SpanStatus = { code: "UNSET", description: "" };
// Shared by every snapshot that has them: two allocations less per span assembled.
const OK: SpanStatus = Object.freeze({ code: "OK", description: "" });
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);

/**
 * What a span needs of the trace record it belongs to (a `TraceRecord`, which imports this file:
 * naming it here would make the two modules one).
 */
export interface SpanOwner {
  /** The MLflow trace id (`tr-` + 32 hex). */
  readonly traceId: string;
  /** The span id of a parent outside this SDK, or null. */
  readonly externalParentSpanId: string | null;
  /** Called once, when the span has ended. */
  spanEnded(span: LiveSpan): void;
}

/** What the tracing core reads of a span that users cannot: set once, by the class's static block. */
interface LiveSpanInternals {
  record(span: LiveSpan): SpanOwner;
  startPerf(span: LiveSpan): number;
  /** -1 while the span runs. */
  endPerf(span: LiveSpan): number;
  /** The span as recorded now, ending at `fallbackEndPerf` if it has not ended. */
  snapshot(span: LiveSpan, fallbackEndPerf: number): Span;
  /** Drops inputs and outputs, then rewrites events and status (`contentTracing: false`). */
  rewriteContent(span: LiveSpan, events: (events: readonly SpanEvent[]) => SpanEvent[], status: (status: SpanStatus) => SpanStatus): void;
}

let internals: LiveSpanInternals | undefined;

/**
 * A span while it runs, handed to your code by `startSpan` and reachable with
 * `getCurrentActiveSpan()`. Record what the step did with its setters; every method is safe to
 * call at any time: after `end()` changes are ignored, and no method throws into your code.
 * Values are snapshotted when set (later mutation does not show), within the limits of
 * `configureTracing`. `console.log(span)` and `JSON.stringify(span)` show its name, type, ids,
 * status, times, inputs, outputs and attributes.
 *
 * @example
 * await startSpan({ name: "retrieve", spanType: SpanType.RETRIEVER, inputs: { query } }, async (span) => {
 *   const docs = await store.search(query);
 *   span.setAttribute("retriever.top_k", 5).setOutputs({ documents: docs });
 *   if (docs.length === 0) span.setStatus("ERROR", "no documents");
 *   return docs;
 * });
 */
export class LiveSpan {
  readonly #record: SpanOwner;
  readonly #parent: LiveSpan | undefined;
  readonly #startPerf: number;
  #endPerf = -1;
  #inputs: JsonValue | undefined = undefined;
  #outputs: JsonValue | undefined = undefined;
  #attributes: Record<string, JsonValue> | undefined = undefined;
  /** True while `#attributes` is a shared, read-only object (copied on first write). */
  #sharedAttributes = false;
  #events: SpanEvent[] | undefined = undefined;
  #status: SpanStatus = UNSET;
  /** About how many chars of JSON the attributes and events take together (capped by `maxSpanLength`). */
  #addedLength = 0;
  /** Chars of JSON of the inputs and outputs, counted when snapshotted; -1: adopted uncounted (walked when sized). */
  #inputsLength = 0;
  #outputsLength = 0;
  /** Whether adopted attributes are not in `#addedLength` (then the size estimate walks them). */
  #attributesUncounted = false;
  #spanId: string | undefined = undefined;
  #spanType: string;
  #name: string;

  static {
    internals = {
      record: (span) => span.#record,
      startPerf: (span) => span.#startPerf,
      endPerf: (span) => span.#endPerf,
      snapshot: (span, fallbackEndPerf) => ({
        name: span.#name,
        spanId: span.spanId,
        traceId: span.#record.traceId,
        parentId: span.parentId,
        spanType: span.#spanType,
        inputs: span.#inputs,
        outputs: span.#outputs,
        attributes: withSpanLogLevel(span.#attributes, span.#spanType, span.#events),
        status: span.#status.code === "UNSET" && span.#endPerf >= 0 ? OK : span.#status,
        events: span.#events ?? NO_EVENTS,
        startTimeNs: perfToEpochNs(span.#startPerf),
        endTimeNs: perfToEpochNs(span.#endPerf >= 0 ? span.#endPerf : fallbackEndPerf),
      }),
      rewriteContent: (span, events, status) => {
        span.#inputs = undefined;
        span.#outputs = undefined;
        span.#inputsLength = 0;
        span.#outputsLength = 0;
        if (span.#events !== undefined) span.#events = events(span.#events);
        span.#status = status(span.#status);
      },
    };
  }

  /** @internal Use `startSpan` or `traced`. */
  constructor(record: SpanOwner, parent: LiveSpan | undefined, name: string, spanType: string, startPerf?: number) {
    this.#record = record;
    this.#parent = parent;
    this.#name = name;
    this.#spanType = spanType;
    this.#startPerf = startPerf ?? nowPerf();
  }

  /** 16 lowercase hex digits (drawn when first read). */
  get spanId(): string {
    return (this.#spanId ??= newSpanId());
  }
  /** The name given to `startSpan` (or the traced function's name). */
  get name(): string {
    return this.#name;
  }
  /** The MLflow trace id (`tr-` + 32 hex). */
  get traceId(): string {
    return this.#record.traceId;
  }
  /** The parent span's id, or `null` for a root span (a continued remote trace's span id, if any). */
  get parentId(): string | null {
    return this.#parent === undefined ? this.#record.externalParentSpanId : this.#parent.spanId;
  }
  /** `SpanType.*` or any string given. */
  get spanType(): string {
    return this.#spanType;
  }
  /** Whether the span has ended. */
  get ended(): boolean {
    return this.#endPerf >= 0;
  }
  /** The inputs as recorded (a JSON-safe snapshot). */
  get inputs(): JsonValue | undefined {
    return this.#inputs;
  }
  /** The outputs as recorded (a JSON-safe snapshot). */
  get outputs(): JsonValue | undefined {
    return this.#outputs;
  }
  /** The attributes as recorded. */
  get attributes(): Readonly<Record<string, JsonValue>> {
    return this.#attributes ?? {};
  }
  /** `UNSET` until set; a span that ends without an error is recorded as `OK`. */
  get status(): SpanStatus {
    return this.#status;
  }

  /**
   * Records the span's inputs, snapshotted now (later mutation of `inputs` does not show).
   *
   * @example
   * span.setInputs({ query: "capital of France", topK: 3 });
   */
  setInputs(inputs: unknown): this {
    if (this.#writable("setInputs")) {
      this.#inputs = toJsonSafe(inputs, sdkState().limits);
      this.#inputsLength = lastSnapshotLength();
    }
    return this;
  }

  /** @internal Records inputs built for this span alone (see `toJsonSafeOwned`). */
  adoptInputs(inputs: Record<string, unknown>): void {
    if (this.#writable("setInputs")) {
      this.#inputs = toJsonSafeOwned(inputs, sdkState().limits);
      this.#inputsLength = lastSnapshotLength();
    }
  }

  /**
   * @internal Records inputs already made JSON-safe (see `composeSafe`); they must not change.
   * `length`: the chars of JSON they take, when counted (else the size estimate walks them).
   */
  adoptSafeInputs(inputs: JsonValue, length = -1): void {
    if (this.#writable("setInputs")) {
      this.#inputs = inputs;
      this.#inputsLength = length;
    }
  }

  /** @internal Records outputs already made JSON-safe, as {@link adoptSafeInputs}. */
  adoptSafeOutputs(outputs: JsonValue, length = -1): void {
    if (this.#writable("setOutputs")) {
      this.#outputs = outputs;
      this.#outputsLength = length;
    }
  }

  /** @internal Adds attributes already made JSON-safe that take `length` chars of JSON (see `composeSafeCounted`). */
  addSafeAttributes(attributes: Readonly<Record<string, JsonValue>>, length: number): void {
    if (!this.#writable("setAttributes")) return;
    Object.assign(this.#ownAttributes(), attributes);
    this.#addedLength += length;
  }

  /**
   * Records the span's outputs, snapshotted now. Without it, `startSpan` records what your
   * function returns.
   *
   * @example
   * span.setOutputs({ answer: "Paris" });
   */
  setOutputs(outputs: unknown): this {
    if (this.#writable("setOutputs")) {
      this.#outputs = toJsonSafe(outputs, sdkState().limits);
      this.#outputsLength = lastSnapshotLength();
    }
    return this;
  }

  /**
   * Sets one attribute (any JSON-able value; secrets are redacted by key name).
   *
   * @example
   * span.setAttribute("retriever.top_k", 3);
   */
  setAttribute(key: string, value: unknown): this {
    if (!this.#writable("setAttribute")) return this;
    const name = String(key);
    this.#ownAttributes()[name] = toJsonSafeEntry(name, value, sdkState().limits, this.#room());
    this.#addedLength += lastSnapshotLength() + name.length;
    return this;
  }

  /**
   * Sets several attributes at once.
   *
   * @example
   * span.setAttributes({ "llm.model": "gpt-4o-mini", "llm.temperature": 0 });
   */
  setAttributes(attributes: Record<string, unknown>): this {
    if (!this.#writable("setAttributes")) return this;
    // Through the serializer, which survives throwing getters and proxies, then copied key by key.
    const safe = toJsonSafe(attributes, sdkState().limits, this.#room());
    this.#addedLength += lastSnapshotLength();
    if (typeof safe !== "object" || safe === null || Array.isArray(safe)) return this;
    // The snapshot is a fresh copy: a span's first attributes are kept as they are, not copied again.
    if (this.#attributes === undefined && Object.getPrototypeOf(safe) === Object.prototype) this.#attributes = safe;
    else Object.assign(this.#ownAttributes(), safe);
    return this;
  }

  /** What a new attribute or event may take: `maxSpanLength` less what the earlier ones took. */
  #room(): number {
    return (sdkState().limits.maxSpanLength ?? DEFAULT_MAX_SPAN_LENGTH) - this.#addedLength;
  }

  /**
   * @internal Adopts attributes already made JSON-safe, plus `extra`. Without `extra` the object
   * is shared until the span's first own attribute write copies it, so it must not change.
   */
  adoptSafeAttributes(attributes: Readonly<Record<string, JsonValue>>, extra?: Readonly<Record<string, JsonValue>>): void {
    this.#attributesUncounted = true;
    if (this.#attributes !== undefined) {
      Object.assign(this.#ownAttributes(), attributes, extra);
    } else if (extra === undefined) {
      this.#attributes = attributes;
      this.#sharedAttributes = true;
    } else {
      this.#attributes = { ...attributes, ...extra };
    }
  }

  #ownAttributes(): Record<string, JsonValue> {
    if (this.#sharedAttributes) {
      this.#attributes = { ...this.#attributes };
      this.#sharedAttributes = false;
    }
    return (this.#attributes ??= {});
  }

  /**
   * @internal About how many chars of JSON this span's name, values, attributes and events take,
   * mostly from lengths counted when they were snapshotted (see `estimateRecordBytes`).
   */
  countedBytes(): number {
    let n = this.#name.length + this.valueLength("inputs") + this.valueLength("outputs");
    if (!this.#attributesUncounted) return n + this.#addedLength;
    n += recordBytes(this.#attributes ?? {});
    for (const event of this.#events ?? []) n += 60 + event.name.length + recordBytes(event.attributes);
    return n;
  }

  /** @internal Chars of JSON the inputs (or outputs) take, walked once if they were adopted uncounted. */
  valueLength(which: "inputs" | "outputs"): number {
    if (which === "inputs") return this.#inputsLength >= 0 ? this.#inputsLength : (this.#inputsLength = valueBytes(this.#inputs));
    return this.#outputsLength >= 0 ? this.#outputsLength : (this.#outputsLength = valueBytes(this.#outputs));
  }

  /**
   * Changes the span type once you know it.
   *
   * @example
   * span.setSpanType(SpanType.LLM);
   */
  setSpanType(spanType: string): this {
    if (this.#writable("setSpanType")) this.#spanType = spanType;
    return this;
  }

  /**
   * Sets the status: `"OK"`, `"ERROR"` (with an optional description) or a status object.
   *
   * @example
   * span.setStatus("ERROR", "no documents found");
   */
  setStatus(status: SpanStatusCode | SpanStatus, description = ""): this {
    if (!this.#writable("setStatus")) return this;
    try {
      const code = String(typeof status === "string" ? status : status.code).toUpperCase();
      const text = typeof status === "string" ? description : status.description;
      this.#status = { code: code === "OK" || code === "ERROR" ? code : "UNSET", description: typeof text === "string" ? redactText(text) : "" };
    } catch (error) {
      reportOnce("span-status", "warn", `setStatus() on span "${this.#name}" got an unreadable status; ignored`, error);
    }
    return this;
  }

  /**
   * Adds a timestamped event. Non-primitive attribute values are JSON-encoded.
   *
   * @example
   * span.addEvent("cache.miss", { key: "q:paris" });
   */
  addEvent(name: string, attributes: EventAttributes = {}, timeNs?: bigint): this {
    if (!this.#writable("addEvent")) return this;
    (this.#events ??= []).push({
      name,
      timeNs: timeNs ?? perfToEpochNs(nowPerf()),
      attributes: primitiveAttributes(attributes, this.#room()),
    });
    this.#addedLength += lastSnapshotLength() + String(name).length + 40;
    return this;
  }

  /**
   * Records an `exception` event (type, message, stack trace) and sets the status to ERROR.
   * `startSpan` does this for you when your function throws.
   *
   * @example
   * try { await call(); } catch (error) { span.recordException(error); }
   */
  recordException(error: unknown): this {
    if (!this.#writable("recordException")) return this;
    const { type, message, stack } = describeException(error);
    this.addEvent("exception", { "exception.type": type, "exception.message": message, "exception.stacktrace": stack });
    this.#status = { code: "ERROR", description: redactText(`${type}: ${message}`) };
    return this;
  }

  /**
   * Ends the span; optional final outputs, attributes and status. A second call is ignored.
   * `startSpan` and `traced` end their spans themselves.
   *
   * @example
   * span.end({ outputs: { answer }, status: "OK" });
   */
  end(options?: { outputs?: unknown; attributes?: Record<string, unknown>; status?: SpanStatusCode }): void {
    if (this.#endPerf >= 0) return;
    try {
      if (options != null) this.#applyEndOptions(options);
    } finally {
      this.#finish();
    }
  }

  #finish(): void {
    const endPerf = nowPerf();
    // Span processors run while the span still takes writes; their time is not the span's.
    const hook = sdkState().policy?.endHook;
    if (hook !== undefined && !hook(this)) return;
    this.#endPerf = endPerf;
    this.#record.spanEnded(this);
  }

  #applyEndOptions(options: { outputs?: unknown; attributes?: Record<string, unknown>; status?: SpanStatusCode }): void {
    if (options.outputs !== undefined) this.setOutputs(options.outputs);
    if (options.attributes !== undefined) this.setAttributes(options.attributes);
    if (options.status !== undefined) this.setStatus(options.status);
  }

  #writable(operation: string): boolean {
    if (this.#endPerf < 0) return true;
    reportOnce(`span-ended.${operation}`, "debug", `${operation}() on span "${this.#name}" after it ended was ignored`);
    return false;
  }

  /** What `JSON.stringify(span)` writes: the fields its getters give, with ISO start and end times. */
  toJSON(): LiveSpanJson {
    return liveSpanJson(this.#fields());
  }

  /** `console.log(span)`: name, type, status, duration, ids, times, inputs, outputs and attributes. */
  [inspect.custom](depth: number, options: InspectOptions, show: typeof inspect): string {
    return inspectLiveSpan(this.#fields(), depth, options, show);
  }

  #fields(): LiveSpanFields {
    const { spanId, parentId, inputs, outputs, attributes, status } = this;
    const traceId = this.#record.traceId;
    return {
      name: this.#name,
      spanType: this.#spanType,
      spanId,
      traceId,
      parentId,
      status,
      startPerf: this.#startPerf,
      endPerf: this.#endPerf,
      nowPerf: nowPerf(),
      inputs,
      outputs,
      attributes,
    };
  }
}

/** @internal The span's trace record, as a span sees it: `traceRecordOf` in `trace-record.ts` gives it whole. */
export function spanOwnerOf(span: LiveSpan): SpanOwner {
  return (internals as LiveSpanInternals).record(span);
}

/** @internal When the span started, in `nowPerf()` readings. */
export function spanStartPerf(span: LiveSpan): number {
  return (internals as LiveSpanInternals).startPerf(span);
}

/** @internal When the span ended, in `nowPerf()` readings; -1 while it runs. */
export function spanEndPerf(span: LiveSpan): number {
  return (internals as LiveSpanInternals).endPerf(span);
}

/** @internal The span as recorded now, ending at `fallbackEndPerf` if it has not ended. */
export function snapshotLiveSpan(span: LiveSpan, fallbackEndPerf: number): Span {
  return (internals as LiveSpanInternals).snapshot(span, fallbackEndPerf);
}

/**
 * @internal Drops the span's inputs and outputs, then rewrites its events and its status, in that
 * order (for `contentTracing: false`, while the span ends).
 */
export function rewriteSpanContent(span: LiveSpan, events: (events: readonly SpanEvent[]) => SpanEvent[], status: (status: SpanStatus) => SpanStatus): void {
  (internals as LiveSpanInternals).rewriteContent(span, events, status);
}

/**
 * Event attributes as OpenTelemetry primitives: copied through the serializer (one size budget
 * for the event, secrets redacted by name), then composite values JSON-encoded.
 */
function primitiveAttributes(attributes: EventAttributes, budget: number): Record<string, string | number | boolean> {
  const safe = toJsonSafe(attributes, sdkState().limits, budget);
  if (typeof safe !== "object" || safe === null || Array.isArray(safe)) return {};
  // The snapshot is a fresh copy: values that are primitives already (the usual event) stay in it.
  for (const key in safe) {
    const value = safe[key] as JsonValue;
    if (typeof value === "object") safe[key] = JSON.stringify(value); // null too, as before
  }
  return safe as Record<string, string | number | boolean>;
}
