/**
 * The one process-wide registry every copy of the package shares (an ESM and a CJS load, or two
 * installed copies): one `Symbol.for` key on `globalThis`, holding a `version` and one slot per
 * piece of shared state, as OpenTelemetry's `api/src/internal/global-utils.ts` does.
 *
 * A copy uses the registry it finds only when it can read that layout; otherwise it says so once
 * and keeps a registry of its own, so its traces are still recorded, just not joined with the
 * other copy's.
 */

/**
 * The registry's layout revision. Adding a slot does not change it (every reader tolerates an
 * absent slot and fills it); changing the shape of an existing slot does, together with
 * {@link OLDEST_READABLE_VERSION}.
 */
export const REGISTRY_VERSION = 1;
/** The oldest layout this copy can read. */
const OLDEST_READABLE_VERSION = 1;

/** The key shared by every copy whose layout has the same major (the `0` here). */
export const REGISTRY_KEY = Symbol.for("mlflow-haystack.api.0");

/** Where copies released before the registry (0.1.x) keep their state. */
const LEGACY_KEY = Symbol.for("mlflow-haystack.v0");

/** Names of the shared slots; each is owned by one module, which alone knows its type. */
export type RegistrySlot =
  "tracing" | "exporter" | "destination" | "modelPricing" | "componentClasses" | "pipelineTracer" | "openaiAutolog" | "openaiClientWrapper";

/** The object stored under {@link REGISTRY_KEY}. */
export interface GlobalRegistry {
  readonly version: number;
  readonly slots: Partial<Record<RegistrySlot, unknown>>;
}

let cached: GlobalRegistry | undefined;
let refusedNotice: string | undefined;
let reportRefusal: ((notice: string) => void) | undefined;

function createRegistry(): GlobalRegistry {
  // Sealed like OpenTelemetry's: the version a copy checked stays the version it reads.
  return Object.freeze({ version: REGISTRY_VERSION, slots: Object.create(null) as Partial<Record<RegistrySlot, unknown>> });
}

function readable(found: unknown): found is GlobalRegistry {
  if (typeof found !== "object" || found === null) return false;
  const { version, slots } = found as { version?: unknown; slots?: unknown };
  return typeof version === "number" && version >= OLDEST_READABLE_VERSION && version <= REGISTRY_VERSION && typeof slots === "object" && slots !== null;
}

function describe(found: unknown): string {
  const version = typeof found === "object" && found !== null ? (found as { version?: unknown }).version : undefined;
  return typeof version === "number" || typeof version === "string" ? `version ${String(version)}` : "an unknown layout";
}

/** The shared registry (or this copy's own, when the shared one is unreadable), found once. */
export function globalRegistry(): GlobalRegistry {
  if (cached !== undefined) return cached;
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const found = holder[REGISTRY_KEY];
  if (found === undefined) {
    const created = createRegistry();
    holder[REGISTRY_KEY] = created;
    cached = created;
    if (holder[LEGACY_KEY] !== undefined) refuse("its own pre-registry layout (mlflow-haystack 0.1)");
  } else if (readable(found)) {
    cached = found;
  } else {
    cached = createRegistry();
    refuse(`registry ${describe(found)}`);
  }
  return cached;
}

function refuse(layout: string): void {
  refusedNotice =
    `another copy of mlflow-haystack in this process keeps its shared state in ${layout}, which this copy ` +
    `(registry version ${REGISTRY_VERSION}) cannot read; this copy records and exports its own traces, not joined with ` +
    `the other copy's. Install one version of mlflow-haystack (npm ls mlflow-haystack shows which) to share them.`;
  flushRefusal();
}

function flushRefusal(): void {
  if (refusedNotice === undefined || reportRefusal === undefined) return;
  const notice = refusedNotice;
  refusedNotice = undefined;
  reportRefusal(notice);
}

/**
 * Sets who reports a refused registry (the diagnostics module, which keeps its counts in the
 * registry and so cannot be imported here); a refusal found before it is set is reported then.
 */
export function onRegistryRefused(reporter: (notice: string) => void): void {
  reportRefusal = reporter;
  flushRefusal();
}

/**
 * The value in `slot`, created with `create` by the first copy that asks. The caller owns the
 * slot's type: every copy that can read this registry version stores the same shape there.
 *
 * @example
 * const prices = globalSlot("modelPricing", () => new Map<string, ModelPrice | null>());
 */
export function globalSlot<T>(slot: RegistrySlot, create: () => T): T {
  const slots = globalRegistry().slots;
  if (!(slot in slots)) slots[slot] = create();
  return slots[slot] as T;
}
