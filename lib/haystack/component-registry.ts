/**
 * Component classes by registry `type`, filled by the `@component` decorator, read by
 * `Pipeline.fromDict`. Shared across package copies through the global registry's `componentClasses` slot.
 */
import { diag } from "../internal/diagnostics";
import { globalSlot } from "../internal/global-registry";

/** A constructor of a component class. */
export type ComponentClass = new (initParameters?: Record<string, unknown>) => object;

let slot: Map<string, ComponentClass> | undefined;

function registry(): Map<string, ComponentClass> {
  return (slot ??= globalSlot("componentClasses", () => new Map<string, ComponentClass>()));
}

/** Registers `cls` under `type`; a later class with the same type replaces the earlier one. */
export function registerComponentClass(type: string, cls: ComponentClass): void {
  const map = registry();
  if (map.has(type) && map.get(type) !== cls) diag("debug", `component type '${type}' registered again; the newest class wins`);
  map.set(type, cls);
}

/**
 * The class registered under `type`, or `undefined`.
 *
 * @example
 * const Cls = lookupComponentClass("MyRetriever"); if (Cls) new Cls({ topK: 3 });
 */
export function lookupComponentClass(type: string): ComponentClass | undefined {
  return registry().get(type);
}

/** Every registered type name, sorted (for error messages). */
export function registeredComponentTypes(): string[] {
  return [...registry().keys()].sort();
}
