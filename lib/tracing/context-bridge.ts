/**
 * The seam through which another context system (OpenTelemetry) sees this SDK's spans: while a
 * span's code runs, an installed bridge may wrap it in that system's own context. With no bridge
 * installed the per-span cost is one `undefined` check.
 */
import { executionAsyncId, type AsyncLocalStorage } from "node:async_hooks";
import { sdkState, type SdkState } from "../internal/global-state";
import type { LiveSpan } from "./live-span";

/**
 * Runs code "inside" a span for another context system. `wrap` must call `fn` exactly once,
 * synchronously, and return what it returns (or throw what it throws).
 *
 * @example
 * setContextBridge({ wrap: (span, fn) => otherContext.with(span.spanId, fn) });
 */
export interface ContextBridge {
  wrap<T>(span: LiveSpan, fn: () => T): T;
}

/**
 * Installs (or with `undefined`, removes) the bridge. One bridge at a time: the last call wins.
 *
 * @example
 * setContextBridge(myBridge); // ...later: setContextBridge(undefined);
 */
export function setContextBridge(bridge: ContextBridge | undefined): void {
  sdkState().contextBridge = bridge;
}

/** The installed bridge, if any. */
export function currentContextBridge(): ContextBridge | undefined {
  return sdkState().contextBridge;
}

/**
 * `fn(arg)` with `span` active (`als.run`), wrapped by the bridge when one is installed. The
 * argument travels through `run` instead of a closure: one allocation less per span.
 */
export function runWithSpan<A, T>(als: AsyncLocalStorage<LiveSpan>, span: LiveSpan, fn: (arg: A) => T, arg: A): T {
  const state = sdkState();
  const bridge = state.contextBridge;
  if (state.syncDropped !== undefined) return outsideDroppedScope(state, () => runWithSpan(als, span, fn, arg));
  return bridge === undefined ? als.run(span, fn, arg) : als.run(span, () => bridge.wrap(span, () => fn(arg)));
}

/*
 * Spans started inside a dropped trace are that trace's no-op root, which they find with
 * `AsyncLocalStorage.getStore()` — on Node 20 and 22 a lookup that costs more than all the rest
 * of a dropped span. While the root's own function runs synchronously the answer is known, so it
 * is kept in the shared state with the async id it runs under: any switch of execution context
 * (a callback, `AsyncResource.runInAsyncScope`, an `AsyncLocalStorage.snapshot()` function)
 * changes that id, and this SDK's own `run` and `exit` on the span storage clear it.
 */

/** `fn(arg)` with the root of a dropped trace active. */
export function runDroppedRoot<A, T>(als: AsyncLocalStorage<LiveSpan>, span: LiveSpan, fn: (arg: A) => T, arg: A): T {
  const state = sdkState();
  const outer = state.syncDropped;
  const outerAsyncId = state.syncDroppedAsyncId;
  state.syncDropped = span;
  state.syncDroppedAsyncId = executionAsyncId();
  try {
    return als.run(span, fn, arg);
  } finally {
    state.syncDropped = outer;
    state.syncDroppedAsyncId = outerAsyncId;
  }
}

/** The dropped root active here, when known without a context lookup (see above); else undefined. */
export function syncDroppedRoot(state: SdkState): LiveSpan | undefined {
  const span = state.syncDropped;
  return span !== undefined && state.syncDroppedAsyncId === executionAsyncId() ? span : undefined;
}

/** `fn()` outside every span (`als.exit`), e.g. an export request. */
export function runOutsideSpans<T>(als: AsyncLocalStorage<LiveSpan>, fn: () => T): T {
  const state = sdkState();
  return state.syncDropped === undefined ? als.exit(fn) : outsideDroppedScope(state, () => als.exit(fn));
}

function outsideDroppedScope<T>(state: SdkState, fn: () => T): T {
  const outer = state.syncDropped;
  state.syncDropped = undefined;
  try {
    return fn();
  } finally {
    state.syncDropped = outer;
  }
}
