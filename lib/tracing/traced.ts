/**
 * `traced(fn, options)` and the `@traced(options)` decorator: a span around every call of a
 * function or method — sync, async, generator or async generator. Works with TC39 standard
 * decorators and with `experimentalDecorators`.
 */
import { sdkState } from "../internal/global-state";
import { nameArguments, readParamNames, type ParamInfo } from "./param-names";
import { SpanAttributeKey } from "./span";
import type { SpanTypeName } from "./span-type";
import { runInSpan, runNoOp, type StartSpanOptions } from "./start-span";
import { isNoOpSpan } from "./noop-span";
import { reportOnce } from "../internal/diagnostics";
import { copyReflectMetadata } from "../internal/reflect-metadata";
import type { LiveSpan } from "./live-span";
import { toJsonSafe, type JsonValue } from "./serialize";
import { createSpan } from "./span-factory";
import { syncDroppedRoot } from "./context-bridge";
import { traceAsyncIterator, traceIterator } from "./traced-stream";
import { checkTracedOptions } from "./span-options";

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Span name; default the function's name. */
  name?: string;
  spanType?: SpanTypeName;
  attributes?: Record<string, unknown>;
  /**
   * For generators: turns the list of chunks into the span's outputs. Method-style, so a reducer
   * typed with the generator's own chunk type (`(chunks: string[]) => ...`) is accepted.
   */
  outputReducer?(chunks: unknown[]): unknown;
  /**
   * Head sampling ratio for traces a call starts, in [0, 1] (overrides
   * `MLFLOW_TRACE_SAMPLING_RATIO`; ignored when the call joins an existing trace).
   */
  samplingRatio?: number;
}

/** Any function `traced` can wrap. */
export type TraceableFunction = (...args: never[]) => unknown;

const WRAPPED = Symbol.for("mlflow-haystack.traced");
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as Function;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as Function;

/** `fn.apply(self, args)` for one call tuple, so a traced call needs no closure per call. */
function applyCall(call: readonly [Function, unknown, readonly unknown[]]): unknown {
  return Reflect.apply(call[0], call[1], call[2]);
}

function setOutputsIfUnset(span: LiveSpan, value: unknown): void {
  if (span.outputs === undefined) span.setOutputs(value);
}

function wrap<F extends TraceableFunction>(fn: F, options: TracedOptions, fallbackName?: string): F {
  if ((fn as unknown as Record<symbol, unknown>)[WRAPPED] === true) return fn;
  const checked = checkTracedOptions(options, fn.name || fallbackName || "anonymous");
  const name = checked.name;
  const params: ParamInfo = readParamNames(fn);
  const attributes = { [SpanAttributeKey.FUNCTION_NAME]: fn.name || fallbackName || name, ...checked.attributes };
  const spanType = checked.spanType;
  const samplingRatio = checked.samplingRatio;
  let safeAttributes: Readonly<Record<string, JsonValue>> | undefined;
  const spanOptions = (args: readonly unknown[]): StartSpanOptions & { outputReducer?: TracedOptions["outputReducer"] } => ({
    name,
    spanType,
    inputs: nameArguments(params, args),
    attributes,
    outputReducer: checked.outputReducer,
    ...(samplingRatio === undefined ? {} : { samplingRatio }),
  });
  const state = sdkState();
  let wrapper: Function;
  if (fn instanceof AsyncGeneratorFunction) {
    wrapper = function (this: unknown, ...args: never[]) {
      const iterator = fn.apply(this, args) as AsyncGenerator;
      return state.tracingEnabled ? traceAsyncIterator(iterator, spanOptions(args)) : iterator;
    };
  } else if (fn instanceof GeneratorFunction) {
    wrapper = function (this: unknown, ...args: never[]) {
      const iterator = fn.apply(this, args) as Generator;
      return state.tracingEnabled ? traceIterator(iterator, spanOptions(args)) : iterator;
    };
  } else {
    wrapper = function (this: unknown, ...args: never[]) {
      if (!state.tracingEnabled || syncDroppedRoot(state) !== undefined) return fn.apply(this, args);
      const parent = state.context.getStore();
      if (parent !== undefined && isNoOpSpan(parent)) return fn.apply(this, args);
      let span: LiveSpan;
      try {
        span = createSpan(name, spanType, parent, samplingRatio);
        if (isNoOpSpan(span)) return runNoOp(span, applyCall, [fn, this, args]);
        span.adoptSafeAttributes((safeAttributes ??= Object.freeze(toJsonSafe(attributes, state.limits) as Record<string, JsonValue>)));
        const inputs = nameArguments(params, args);
        if (inputs !== args[0] && typeof inputs === "object" && inputs !== null && Object.getPrototypeOf(inputs) === Object.prototype) {
          span.adoptInputs(inputs as Record<string, unknown>);
        } else {
          span.setInputs(inputs);
        }
      } catch (error) {
        reportOnce("span-create", "error", `could not create span "${name}"; running untraced`, error);
        return fn.apply(this, args);
      }
      return runInSpan(span, applyCall, [fn, this, args], setOutputsIfUnset);
    };
  }
  Object.defineProperty(wrapper, "name", { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, "length", { value: fn.length, configurable: true });
  Object.defineProperty(wrapper, WRAPPED, { value: true });
  copyReflectMetadata(fn, wrapper);
  return wrapper as F;
}

/** A TC39 decorator context; typed `kind: "method"` so a getter, setter or field decorated is a compile error. */
export interface TracedMethodContext {
  kind: "method";
  name: string | symbol;
}

function isStandardContext(value: unknown): value is { kind: string; name: string | symbol } {
  return typeof value === "object" && value !== null && "kind" in value && "name" in value;
}

/** A legacy (`experimentalDecorators`) method's descriptor: a getter's has no function `value`, so it does not compile. */
export type TracedMethodDescriptor = PropertyDescriptor & { value?: TraceableFunction };

/** What `traced(options)` returns: a method decorator for TC39 decorators and `experimentalDecorators` alike. */
export type TracedMethodDecorator = {
  <F extends TraceableFunction>(fn: F, context: TracedMethodContext): F;
  (target: object, key: string | symbol, descriptor: TracedMethodDescriptor): PropertyDescriptor;
};

function decorator(options: TracedOptions): TracedMethodDecorator {
  return function (target: unknown, keyOrContext: unknown, descriptor?: PropertyDescriptor): never {
    if (isStandardContext(keyOrContext)) {
      if (keyOrContext.kind !== "method") {
        throw new TypeError(`@traced applies to methods, not to a ${keyOrContext.kind} ("${String(keyOrContext.name)}")`);
      }
      return wrap(target as TraceableFunction, options, String(keyOrContext.name)) as never;
    }
    if (descriptor === undefined || typeof descriptor.value !== "function") {
      throw new TypeError(`@traced applies to methods; "${String(keyOrContext)}" is not a method`);
    }
    return { ...descriptor, value: wrap(descriptor.value as TraceableFunction, options, String(keyOrContext)) } as never;
  };
}

/**
 * Traces a function: `traced(fn, options?)` returns a wrapped function with the same `this`,
 * `name` and `length`. As a decorator, `@traced(options?)` (or bare `@traced`) traces a method.
 * Inputs are the call's arguments, named by the parameter names; outputs the return value
 * (awaited for promises; for generators the list of chunks or `outputReducer(chunks)`).
 *
 * @example
 * const search = traced(async function search(query: string) { ... }, { spanType: SpanType.RETRIEVER });
 * class Agent { @traced({ spanType: "AGENT" }) async run(task: string) { ... } }
 */
export function traced<F extends TraceableFunction>(fn: F, options?: TracedOptions): F;
export function traced(options?: TracedOptions): TracedMethodDecorator;
export function traced<F extends TraceableFunction>(fn: F, context: TracedMethodContext): F;
export function traced(target: object, key: string | symbol, descriptor: TracedMethodDescriptor): PropertyDescriptor;
export function traced(first?: unknown, second?: unknown, third?: unknown): unknown {
  if (typeof first === "function" && isStandardContext(second)) return decorator({})(first as TraceableFunction, second as TracedMethodContext);
  if (third !== undefined && typeof second !== "object") return decorator({})(first as object, second as string, third as PropertyDescriptor);
  if (typeof first === "function") return wrap(first as TraceableFunction, (second as TracedOptions | undefined) ?? {});
  return decorator((first as TracedOptions | undefined) ?? {});
}
