/**
 * The span of one OpenAI call, from the request to the response being read: ends with the response
 * (outputs, model, usage, cost), with the error the caller gets (status ERROR), or, for a stream,
 * when the stream completes, is cut, aborted or cancelled by the consumer (`break`, `return()`).
 *
 * A result nobody reads would leave the span open, so two things end it as abandoned: garbage
 * collection of the promise or stream handed out (a `FinalizationRegistry`), and an idle timeout
 * (default 10 minutes, OpenAI's own request timeout): a stream is abandoned once a whole period
 * passes without a chunk read, a response once it passes unread. The timer is `unref()`'d: it never
 * keeps a process alive. Both watch only what may go unread — a stream, or a response that arrived
 * before anyone asked for its body — so an awaited call pays for neither.
 */
import { reportOnce } from "../../internal/diagnostics";
import type { LiveSpan } from "../../tracing/integration";
import { recordResponse, type CallKind } from "./call-attributes";
import { eventJson } from "./event-json";
import { StreamAssembly } from "./stream-assembly";

/** Stream chunks recorded as `mlflow.chunk.item.<i>` events on one span; later chunks are only counted. */
export const MAX_CHUNK_EVENTS = 256;

/** Default idle time after which an unread response or stream ends its span as abandoned. */
export const DEFAULT_ABANDON_AFTER_MS = 600_000;

/** How a streamed call ended (`openai.stream.end`). */
export type StreamEnd = "completed" | "cancelled" | "aborted" | "error" | "abandoned";

const collected = new FinalizationRegistry<CallSpan>((call) => call.abandon("garbage-collected"));

/** `mlflow.chunk.item.<i>`, made once per index rather than once per chunk. */
const chunkEventNames: string[] = [];

export class CallSpan {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private assembly: StreamAssembly | undefined;
  private chunks = 0;

  constructor(
    readonly span: LiveSpan,
    private readonly kind: CallKind,
    private readonly body: unknown,
    private readonly abandonAfterMs: number,
  ) {}

  /**
   * From now on `handle` (what the caller got) may go unread: its collection by the garbage
   * collector, or `abandonAfterMs` without a read, abandons the span.
   */
  watch(handle: object): void {
    if (this.span.ended) return;
    // A stream replaces the promise it came from, which may be collected once read.
    if (this.timer !== undefined) collected.unregister(this);
    collected.register(handle, this, this);
    this.timer ??= this.idleTimer();
  }

  /** Abandons the span after a whole `abandonAfterMs` without a chunk read (a chunk does not touch the timer). */
  private idleTimer(): ReturnType<typeof setTimeout> {
    let seen = this.chunks;
    const timer = setTimeout(() => {
      if (this.chunks === seen) return this.abandon(`idle ${this.abandonAfterMs} ms`);
      seen = this.chunks;
      timer.refresh();
    }, this.abandonAfterMs);
    return timer.unref();
  }

  succeed(response: unknown): void {
    if (this.span.ended) return;
    this.guard("outputs", () => {
      this.span.setOutputs(response);
      recordResponse(this.span, this.kind, this.body, response);
    });
    this.end();
  }

  fail(error: unknown): void {
    if (this.span.ended) return;
    this.guard("exception", () => {
      if (this.assembly !== undefined) this.recordStream("error");
      this.span.recordException(error);
    });
    this.end();
  }

  /** A chunk was read from the stream. */
  chunk(event: unknown): void {
    if (this.span.ended) return;
    const index = this.chunks++;
    try {
      (this.assembly ??= new StreamAssembly()).add(event);
      if (index < MAX_CHUNK_EVENTS) this.span.addEvent((chunkEventNames[index] ??= `mlflow.chunk.item.${index}`), { "mlflow.chunk.value": eventJson(event) });
    } catch (error) {
      reportOnce("openai-span-chunk", "error", "could not record the chunk of an OpenAI call span", error);
    }
  }

  /** The stream stopped without an error thrown to the consumer. */
  streamEnded(end: Exclude<StreamEnd, "error" | "abandoned">): void {
    if (this.span.ended) return;
    this.guard("stream-end", () => {
      this.recordStream(end);
      if (end === "aborted") this.span.setStatus("ERROR", "stream aborted (its AbortController was aborted)");
    });
    this.end();
  }

  abandon(reason: string): void {
    if (this.span.ended) return;
    this.guard("abandon", () => {
      if (this.chunks > 0 || this.assembly !== undefined) this.recordStream("abandoned");
      this.span.setAttribute("openai.abandoned", reason);
    });
    this.end();
  }

  private recordStream(end: StreamEnd): void {
    const assembled = (this.assembly ??= new StreamAssembly()).result();
    this.span.setOutputs(assembled ?? null);
    recordResponse(this.span, this.kind, this.body, assembled);
    this.span.setAttributes({
      "openai.stream.end": end,
      "openai.stream.chunks": this.chunks,
      "openai.stream.chunk_events_dropped": Math.max(0, this.chunks - MAX_CHUNK_EVENTS),
    });
  }

  private end(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      collected.unregister(this);
    }
    try {
      this.span.end();
    } catch (error) {
      reportOnce("openai-span-end", "error", `could not end the span of an OpenAI call`, error);
    }
  }

  private guard(what: string, record: () => void): void {
    try {
      record();
    } catch (error) {
      reportOnce(`openai-span-${what}`, "error", `could not record the ${what} of an OpenAI call span`, error);
    }
  }
}
