/**
 * The seam through which another context system (OpenTelemetry) sees this SDK's spans: while a
 * span's code runs, an installed bridge may wrap it in that system's own context. With no bridge
 * installed the per-span cost is one `undefined` check.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import { sdkState } from "../internal/global-state";
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
  const bridge = sdkState().contextBridge;
  return bridge === undefined ? als.run(span, fn, arg) : als.run(span, () => bridge.wrap(span, () => fn(arg)));
}
