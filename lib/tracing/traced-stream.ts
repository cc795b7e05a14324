/**
 * Spans around generators: the span opens at the first `next()`, records each chunk as an
 * `mlflow.chunk.item.<i>` event, and ends when the stream finishes, throws, or is abandoned with
 * `break` / `return()`. Every resumption runs inside the span's context.
 */
import { sdkState } from "../internal/global-state";
import { reportOnce } from "../internal/diagnostics";
import { catchIfThenable, isThenable } from "../internal/thenable";
import type { LiveSpan } from "./live-span";
import { toJsonSafe } from "./serialize";
import { openSpan, type StartSpanOptions } from "./start-span";
import { runWithSpan } from "./context-bridge";
import { isNoOpSpan } from "./noop-span";

export interface StreamSpanOptions extends StartSpanOptions {
  outputReducer?: ((chunks: unknown[]) => unknown) | undefined;
}

class StreamRecorder {
  private span: LiveSpan | undefined;
  private readonly chunks: unknown[] = [];
  constructor(
    private readonly options: StreamSpanOptions,
    private readonly parent: LiveSpan | undefined,
  ) {}

  open(): LiveSpan {
    return (this.span ??= openSpan(this.options, this.parent));
  }

  chunk(value: unknown): void {
    const span = this.open();
    if (isNoOpSpan(span)) return;
    const index = this.chunks.length;
    this.chunks.push(value);
    span.addEvent(`mlflow.chunk.item.${index}`, {
      "mlflow.chunk.value": JSON.stringify(toJsonSafe(value, sdkState().limits)),
    });
  }

  finish(error?: { value: unknown }): void {
    const span = this.open();
    if (span.ended) return;
    if (error !== undefined) {
      span.recordException(error.value);
    } else if (span.outputs === undefined) {
      let outputs: unknown = this.chunks;
      if (this.options.outputReducer !== undefined) {
        try {
          const reduced = this.options.outputReducer(this.chunks);
          if (isThenable(reduced)) {
            catchIfThenable(reduced, () => undefined);
            reportOnce("output-reducer", "warn", `outputReducer of span "${this.options.name}" returned a promise, not the output; recording the raw chunks`);
          } else outputs = reduced;
        } catch (reducerError) {
          reportOnce("output-reducer", "warn", `outputReducer of span "${this.options.name}" threw; recording the raw chunks`, reducerError);
        }
      }
      span.setOutputs(outputs);
    }
    span.end();
  }
}

/** Wraps a sync iterator so that a span covers its whole consumption. */
export function traceIterator<T, R, N>(iterator: Generator<T, R, N>, options: StreamSpanOptions): Generator<T, R, N> {
  const context = sdkState().context;
  const recorder = new StreamRecorder(options, context.getStore());
  const step = (call: () => IteratorResult<T, R>): IteratorResult<T, R> => {
    const span = recorder.open();
    let result: IteratorResult<T, R>;
    try {
      result = runWithSpan(context, span, call, undefined);
    } catch (error) {
      recorder.finish({ value: error });
      throw error;
    }
    if (result.done) recorder.finish();
    else recorder.chunk(result.value);
    return result;
  };
  // Same prototype as the generator, so iterator helpers (`take`, `map`, ... on Node 22+) and
  // `instanceof` keep working; own methods route every step through the span.
  return Object.assign(Object.create(Object.getPrototypeOf(iterator) as object) as Generator<T, R, N>, {
    next: (...args: [] | [N]) => step(() => iterator.next(...args)),
    return: (value: R) => {
      const result = step(() => iterator.return(value));
      recorder.finish();
      return result;
    },
    throw: (error: unknown) => step(() => iterator.throw(error)),
  });
}

/** Wraps an async iterator so that a span covers its whole consumption. */
export function traceAsyncIterator<T, R, N>(iterator: AsyncGenerator<T, R, N>, options: StreamSpanOptions): AsyncGenerator<T, R, N> {
  const context = sdkState().context;
  const recorder = new StreamRecorder(options, context.getStore());
  const step = async (call: () => Promise<IteratorResult<T, R>>, finishOnYield = false): Promise<IteratorResult<T, R>> => {
    const span = recorder.open();
    let result: IteratorResult<T, R>;
    try {
      result = await runWithSpan(context, span, call, undefined);
    } catch (error) {
      recorder.finish({ value: error });
      throw error;
    }
    if (result.done || finishOnYield) recorder.finish();
    else recorder.chunk(result.value);
    return result;
  };
  return Object.assign(Object.create(Object.getPrototypeOf(iterator) as object) as AsyncGenerator<T, R, N>, {
    next: (...args: [] | [N]) => step(() => iterator.next(...args)),
    return: (value: R | PromiseLike<R>) => step(() => iterator.return(value), true),
    throw: (error: unknown) => step(() => iterator.throw(error)),
  });
}
