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

/**
 * The events of `stream`, each recorded on the call's span on its way to the consumer. A plain
 * iterator rather than an async generator: a generator around the client's own adds its resumption
 * and two promises per chunk (an `await` and the `yield`'s), where this adds one `then`.
 */
function recordedEvents(stream: StreamLike, call: CallSpan): AsyncIterator<unknown> & AsyncIterable<unknown> {
  let inner: AsyncIterator<unknown> | undefined;
  let stopped = false;
  const source = (): AsyncIterator<unknown> => (inner ??= stream[Symbol.asyncIterator]());
  const onEvent = (result: IteratorResult<unknown>): IteratorResult<unknown> => {
    if (stopped) return result;
    if (result.done === true) {
      stopped = true;
      call.streamEnded(stream.controller.signal.aborted ? "aborted" : "completed");
    } else call.chunk(result.value);
    return result;
  };
  const onError = (error: unknown): never => {
    stopped = true;
    call.fail(error);
    throw error;
  };
  return {
    next: () => source().next().then(onEvent, onError),
    // The consumer stopped early (`break`, `return()`): the client's iterator aborts the request.
    return: (value?: unknown) => {
      const returned = inner?.return?.(value) ?? Promise.resolve({ done: true as const, value });
      if (stopped) return returned;
      stopped = true;
      return returned.then((result) => {
        call.streamEnded("cancelled");
        return result;
      }, onError);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The traced replacement of `stream`, built with its own class; `client` is what that class receives. */
export function traceStream<S extends StreamLike>(stream: S, call: CallSpan, client: unknown): S {
  const Stream = stream.constructor as StreamClass;
  const traced = new Stream(() => recordedEvents(stream, call), stream.controller, client) as S;
  call.watch(traced);
  return traced;
}
