/**
 * The component contract: `@component({ inputs, outputs })` on a class whose `run` takes one
 * object and returns one object (or a promise of one). Sockets are declared explicitly because
 * TypeScript erases parameter names and types. The decorator works in both TypeScript modes
 * (TC39 standard and legacy `experimentalDecorators`).
 */
import { describeValue } from "../internal/describe-value";
import { registerComponentClass } from "./component-registry";
import { ComponentError } from "./errors";
import { copyReflectMetadata } from "../internal/reflect-metadata";
import { snapshotInitParameters, toPlainData } from "./init-parameters";
import {
  resolveInputs,
  resolveInputSocket,
  resolveOutputs,
  type InputDeclaration,
  type InputSocketSpec,
  type OutputDeclaration,
  type ResolvedInputSocket,
  type ResolvedOutputSocket,
  type SocketType,
} from "./sockets";

export type { InputSocketSpec, ResolvedInputSocket, ResolvedOutputSocket, SocketType } from "./sockets";

/**
 * Options of {@link component}.
 *
 * @example
 * const options: ComponentOptions = { inputs: { query: "str", topK: { type: "int", default: 10 } }, outputs: { documents: "Document[]" } };
 */
export interface ComponentOptions {
  /** `string[]` declares mandatory sockets of type `"any"`. */
  inputs?: InputDeclaration;
  outputs?: OutputDeclaration;
  /** Registry/type name used by `toDict`/`fromDict`; defaults to the class name. */
  type?: string;
  /** The span type a tracer should use for this component (e.g. `"RETRIEVER"`, `"LLM"`). */
  spanType?: string;
}

/** What the pipeline and tracers know about one component instance. */
export interface ComponentInfo {
  readonly type: string;
  readonly className: string;
  readonly spanType?: string;
  readonly inputs: Map<string, ResolvedInputSocket>;
  readonly outputs: Map<string, ResolvedOutputSocket>;
  /** The constructor's options (or the `init_parameters` of the component's own `toDict()`), as plain data. */
  readonly initParameters: Record<string, unknown>;
}

/** The shape `@component` requires: a class with a `run(inputs)` method. */
export type ComponentConstructor = abstract new (...args: never[]) => { run(inputs: never): unknown };

/** A class decorator usable with TC39 standard decorators and with `experimentalDecorators`. */
export type ComponentDecorator = <C extends ComponentConstructor>(value: C, context?: ClassDecoratorContext<C>) => C;

interface ClassDeclaration {
  readonly type: string;
  readonly className: string;
  readonly spanType: string | undefined;
  readonly inputs: Map<string, ResolvedInputSocket>;
  readonly outputs: Map<string, ResolvedOutputSocket>;
}

interface InstanceState {
  dynamicInputs: Map<string, ResolvedInputSocket>;
  dynamicOutputs: Map<string, ResolvedOutputSocket>;
  decl: ClassDeclaration | undefined;
  initParameters: Record<string, unknown>;
  info: ComponentInfo | undefined;
}

const CLASS_DECL = Symbol.for("mlflow-haystack.haystack.component-class.v0");
const STATE = Symbol.for("mlflow-haystack.haystack.component.v0");

type WithState = { [STATE]?: InstanceState };
type WithDecl = { [CLASS_DECL]?: ClassDeclaration };

function stateOf(instance: object): InstanceState {
  const holder = instance as WithState;
  let state = holder[STATE];
  if (state === undefined) {
    state = { dynamicInputs: new Map(), dynamicOutputs: new Map(), decl: undefined, initParameters: {}, info: undefined };
    Object.defineProperty(instance, STATE, { value: state, enumerable: false, configurable: true });
  }
  return state;
}

function buildInfo(state: InstanceState, decl: ClassDeclaration): ComponentInfo {
  const inputs = new Map(decl.inputs);
  for (const [name, socket] of state.dynamicInputs) if (!inputs.has(name)) inputs.set(name, socket);
  const outputs = new Map(decl.outputs);
  for (const [name, socket] of state.dynamicOutputs) outputs.set(name, socket);
  const info: { -readonly [K in keyof ComponentInfo]: ComponentInfo[K] } = {
    type: decl.type,
    className: decl.className,
    inputs,
    outputs,
    initParameters: state.initParameters,
  };
  if (decl.spanType !== undefined) info.spanType = decl.spanType;
  return info;
}

function ownInitParameters(instance: object, firstArgument: unknown): Record<string, unknown> {
  const toDict = (instance as { toDict?: unknown }).toDict;
  if (typeof toDict === "function") {
    try {
      const dict = toPlainData((toDict as () => unknown).call(instance));
      const params = typeof dict === "object" && dict !== null && !Array.isArray(dict) ? dict["init_parameters"] : undefined;
      if (typeof params === "object" && params !== null && !Array.isArray(params)) return params;
    } catch {
      // The component's own toDict may need state set after construction; fall back to the options.
    }
  }
  return snapshotInitParameters(firstArgument);
}

function finalize(instance: object, decl: ClassDeclaration, firstArgument: unknown): void {
  const state = stateOf(instance);
  state.decl = decl;
  state.initParameters = ownInitParameters(instance, firstArgument);
  state.info = buildInfo(state, decl);
}

/** True when a decorated class lies strictly between `newTarget` and `wrapper` (it will finalize). */
function moreDerivedDecoratedClass(newTarget: unknown, wrapper: unknown): boolean {
  for (let cls = newTarget; cls !== null && cls !== wrapper && typeof cls === "function"; cls = Object.getPrototypeOf(cls)) {
    if (Object.prototype.hasOwnProperty.call(cls, CLASS_DECL)) return true;
  }
  return false;
}

function declare(target: ComponentConstructor, options: ComponentOptions): ComponentConstructor {
  const className = target.name || "AnonymousComponent";
  if (typeof (target.prototype as { run?: unknown }).run !== "function") {
    throw new ComponentError(
      `${className} must have a run() method: declare 'run(inputs) { ... }' as a method (a class field arrow function is not seen by @component).`,
    );
  }
  const runAsync = (target.prototype as { runAsync?: unknown }).runAsync;
  if (runAsync !== undefined && typeof runAsync !== "function") {
    throw new ComponentError(`${className}.runAsync must be a method when present.`);
  }
  if (options.type !== undefined && (typeof options.type !== "string" || options.type.length === 0)) {
    throw new ComponentError(`${className}: @component type must be a non-empty string, got ${describeValue(options.type)}.`);
  }
  const decl: ClassDeclaration = {
    type: options.type ?? className,
    className,
    spanType: options.spanType,
    inputs: resolveInputs(className, options.inputs),
    outputs: resolveOutputs(className, options.outputs),
  };
  const Base = target as unknown as new (...args: unknown[]) => object;
  const Wrapped = class extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      if (!moreDerivedDecoratedClass(new.target, Wrapped)) finalize(this, decl, args[0]);
    }
  };
  Object.defineProperty(Wrapped, "name", { value: className, configurable: true });
  Object.defineProperty(Wrapped, CLASS_DECL, { value: decl });
  copyReflectMetadata(target, Wrapped);
  registerComponentClass(decl.type, Wrapped);
  return Wrapped as unknown as ComponentConstructor;
}

/**
 * Declares a component class: its sockets, registry type and span type. `run` receives one
 * object with the inputs and returns one object with the outputs (sync or async); an optional
 * `runAsync` is used by async runs; an optional `warmUp()` is called before every run and must be
 * idempotent. The constructor's first argument is captured as the component's init parameters.
 *
 * @example
 * @component({ inputs: ["a", "b"], outputs: ["sum"] })
 * class Adder {
 *   run({ a, b }: { a: number; b: number }) { return { sum: a + b }; }
 * }
 */
export function component(options: ComponentOptions = {}): ComponentDecorator {
  return function decorate<C extends ComponentConstructor>(value: C, context?: ClassDecoratorContext<C>): C {
    if (context !== undefined && (context as { kind?: unknown }).kind !== "class") {
      throw new ComponentError(`@component decorates classes, not a ${String((context as { kind?: unknown }).kind)}.`);
    }
    if (typeof value !== "function") throw new ComponentError("@component decorates classes.");
    return declare(value, options) as C;
  };
}

/**
 * Adds input sockets to one instance; call it in the constructor (before construction ends).
 * Sockets declared on the class win over dynamic ones with the same name.
 *
 * @example
 * constructor(opts: { variables: string[] }) { setInputTypes(this, Object.fromEntries(opts.variables.map((v) => [v, { type: "any", default: "" }]))); }
 */
export function setInputTypes(instance: object, inputs: Record<string, SocketType | InputSocketSpec>): void {
  const state = stateOf(instance);
  const owner = instance.constructor?.name ?? "component";
  for (const [name, spec] of Object.entries(inputs)) state.dynamicInputs.set(name, resolveInputSocket(owner, name, spec));
  if (state.decl !== undefined) state.info = buildInfo(state, state.decl);
}

/**
 * Adds or replaces output sockets of one instance; call it in the constructor.
 *
 * @example
 * constructor() { setOutputTypes(this, { prompt: "str" }); }
 */
export function setOutputTypes(instance: object, outputs: Record<string, SocketType>): void {
  const state = stateOf(instance);
  const owner = instance.constructor?.name ?? "component";
  for (const [name, socket] of resolveOutputs(owner, outputs)) state.dynamicOutputs.set(name, socket);
  if (state.decl !== undefined) state.info = buildInfo(state, state.decl);
}

/**
 * True for an instance of a `@component` class.
 *
 * @example
 * isComponent(new Adder()); // true
 */
export function isComponent(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as WithState)[STATE]?.info !== undefined;
}

/**
 * The sockets, type and init parameters of a component instance.
 *
 * @example
 * [...getComponentInfo(new Adder()).inputs.keys()]; // ["a", "b"]
 */
export function getComponentInfo(instance: object): ComponentInfo {
  const info = typeof instance === "object" && instance !== null ? (instance as WithState)[STATE]?.info : undefined;
  if (info === undefined) {
    throw new ComponentError(`Expected a component instance, got ${describeValue(instance)}: decorate its class with @component({ inputs, outputs }).`);
  }
  return info;
}

/** The registry type a `@component` class was declared with, or `undefined` for other classes. */
export function componentTypeOf(cls: unknown): string | undefined {
  return typeof cls === "function" ? (cls as WithDecl)[CLASS_DECL]?.type : undefined;
}
