/**
 * Cheap checks for a registered OpenTelemetry SDK, read straight from the API's global registry
 * (`Symbol.for("opentelemetry.js.api.1")` on `globalThis`, the key every 1.x copy of
 * `@opentelemetry/api` shares). Two property reads, no allocation: safe on the per-span path.
 */

/** The registry's shape: `registerGlobal` stores each API's delegate under its type name. */
interface OtelGlobalRegistry {
  readonly version?: string;
  readonly context?: unknown;
  readonly trace?: unknown;
  readonly propagation?: unknown;
}

const OTEL_API_KEY = Symbol.for("opentelemetry.js.api.1");
const holder = globalThis as unknown as Record<symbol, OtelGlobalRegistry | undefined>;

/**
 * True when an OpenTelemetry context manager is registered (for example by
 * `NodeTracerProvider.register()` or `NodeSDK.start()`), so OpenTelemetry spans can be active.
 *
 * @example
 * if (otelContextManagerRegistered()) console.log("spans will join the active OpenTelemetry trace");
 */
export function otelContextManagerRegistered(): boolean {
  return holder[OTEL_API_KEY]?.context !== undefined;
}

/**
 * True when a global OpenTelemetry tracer provider is registered.
 *
 * @example
 * if (!otelTracerProviderRegistered()) console.log("no OpenTelemetry SDK in this process");
 */
export function otelTracerProviderRegistered(): boolean {
  return holder[OTEL_API_KEY]?.trace !== undefined;
}
