/**
 * A stream handed to the caller in place of the `openai` client's `Stream`: a new instance of the
 * same class, over the same `AbortController`, whose iterator records each event on the call's span.
 * Iteration, `tee()`, `toReadableStream()` and `controller.abort()` are the class's own code, so they
 * behave as on the untraced stream; only the events pass by the span on their way.
 */
import type { CallSpan } from "./call-span";

/** The parts of the `openai` package's `Stream` this module relies on. */
interface StreamLike extends AsyncIterable<unknown> {
  controller: AbortController;
  tee(): unknown;
  toReadableStream(): unknown;
}

type StreamClass = new (iterator: () => AsyncIterator<unknown>, controller: AbortController, client?: unknown) => StreamLike;

/** Whether `value` is the `openai` client's `Stream` (or quacks like it). */
export function isOpenAIStream(value: unknown): value is StreamLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<StreamLike>;
  return (
    typeof v.tee === "function" &&
    typeof v.toReadableStream === "function" &&
    v.controller instanceof AbortController &&
    typeof v[Symbol.asyncIterator] === "function"
  );
}

/** The traced replacement of `stream`, built with its own class; `client` is what that class receives. */
export function traceStream<S extends StreamLike>(stream: S, call: CallSpan, client: unknown): S {
  async function* events(): AsyncGenerator<unknown, void, undefined> {
    let stopped = false;
    try {
      for await (const event of stream) {
        call.chunk(event);
        yield event;
      }
      stopped = true;
      call.streamEnded(stream.controller.signal.aborted ? "aborted" : "completed");
    } catch (error) {
      stopped = true;
      call.fail(error);
      throw error;
    } finally {
      // Left at a `yield`: the consumer broke out of the loop or called `return()`.
      if (!stopped) call.streamEnded("cancelled");
    }
  }
  const Stream = stream.constructor as StreamClass;
  const traced = new Stream(events, stream.controller, client) as S;
  call.watch(traced);
  return traced;
}
