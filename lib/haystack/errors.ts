/**
 * The framework's error family. Every error extends {@link HaystackError}; `instanceof` also
 * matches errors thrown by a second installed copy of the package (checked by a shared brand).
 */

const BRAND = Symbol.for("mlflow-haystack.haystack.error.v0");

type Branded = { readonly [BRAND]?: readonly string[] };

/**
 * Base class of every error the pipeline framework throws.
 *
 * @example
 * try { await pipe.run(data); } catch (err) { if (err instanceof HaystackError) report(err.message); }
 */
export class HaystackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const names: string[] = [];
    for (let proto: unknown = new.target.prototype; proto !== null && proto !== Object.prototype;) {
      const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
      if (typeof ctor?.name === "string" && ctor.name !== "Error") names.push(ctor.name);
      proto = Object.getPrototypeOf(proto);
    }
    Object.defineProperty(this, "name", { value: new.target.name, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: names });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = typeof value === "object" && value !== null ? (value as Branded)[BRAND] : undefined;
    return Array.isArray(names) && names.includes(this.name);
  }
}

/**
 * A component class or instance breaks the component contract (no `run`, bad socket declaration).
 *
 * @example
 * getComponentInfo({}); // throws ComponentError: "the value is not a component ..."
 */
export class ComponentError extends HaystackError {}

/** Where in a pipeline an error happened, when it is known. */
export interface PipelineErrorDetails {
  component?: string;
  socket?: string;
  cause?: unknown;
}

/**
 * Base class of the errors a {@link Pipeline} throws. `component` and `socket` name the place.
 *
 * @example
 * catch (err) { if (err instanceof PipelineError) console.error(err.component, err.message); }
 */
export class PipelineError extends HaystackError {
  readonly component: string | undefined;
  readonly socket: string | undefined;

  constructor(message: string, details: PipelineErrorDetails = {}) {
    super(message, "cause" in details ? { cause: details.cause } : undefined);
    this.component = details.component;
    this.socket = details.socket;
  }
}

/**
 * `addComponent` or `connect` was given something that cannot be wired (unknown socket,
 * incompatible types, ambiguous connection, second sender into a non-list socket).
 *
 * @example
 * pipe.connect("retriever", "llm"); // PipelineConnectError: ... specify the socket, e.g. "llm.prompt"
 */
export class PipelineConnectError extends PipelineError {}

/**
 * A run was refused before anything executed: unknown component or socket in the input, a
 * missing mandatory input, or a non-component given to `addComponent`.
 *
 * @example
 * await pipe.run({ retriever: {} }); // PipelineValidationError: Missing mandatory input 'query' ...
 */
export class PipelineValidationError extends PipelineError {}

/**
 * A component failed while the pipeline ran. `componentName` and `componentType` say which;
 * the component's own error is on `cause`, unchanged.
 *
 * @example
 * catch (err) { if (err instanceof PipelineRuntimeError) handle(err.componentName, err.cause); }
 */
export class PipelineRuntimeError extends PipelineError {
  readonly componentName: string | undefined;
  readonly componentType: string | undefined;

  constructor(message: string, details: { componentName?: string; componentType?: string; cause?: unknown } = {}) {
    const base: PipelineErrorDetails = {};
    if (details.componentName !== undefined) base.component = details.componentName;
    if ("cause" in details) base.cause = details.cause;
    super(message, base);
    this.componentName = details.componentName;
    this.componentType = details.componentType;
  }

  /** Wraps a component's error (kept on `cause`) with haystack-ai's `PipelineRuntimeError.from_exception` message. */
  static fromComponentError(componentName: string, componentType: string, cause: unknown): PipelineRuntimeError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new PipelineRuntimeError(
      `The following component failed to run:\nComponent name: '${componentName}'\nComponent type: '${className(componentType)}'\nError: ${detail}`,
      { componentName, componentType, cause },
    );
  }

  /** A component's run returned something other than an object: haystack-ai's `from_invalid_output` message. */
  static fromInvalidOutput(componentName: string, componentType: string, output: unknown): PipelineRuntimeError {
    return new PipelineRuntimeError(
      `The following component returned an invalid output:\nComponent name: '${componentName}'\nComponent type: '${className(componentType)}'\n` +
        `Expected a dictionary, but got ${pythonTypeName(output)} instead.\nCheck the component's output and ensure it is a valid dictionary.`,
      { componentName, componentType },
    );
  }
}

/** A component type's class name, as Python's `component_type.__name__` prints it in these messages. */
function className(componentType: string): string {
  return componentType.slice(componentType.lastIndexOf(".") + 1);
}

/** What Python's `type(value).__name__` says of the value a JavaScript component returned. */
function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "function":
      return "function";
    default:
      return typeof value;
  }
}

/**
 * The pipeline cannot start: no component is ready to run (no entry point, or every component
 * waits on another in a cycle).
 *
 * @example
 * await pipe.run({}); // PipelineComponentsBlockedError: ... no component can run ...
 */
export class PipelineComponentsBlockedError extends PipelineRuntimeError {}

/**
 * A component was about to run more than `maxRunsPerComponent` times (usually an endless loop).
 *
 * @example
 * new Pipeline({ maxRunsPerComponent: 10 }); // a loop that never exits throws after 10 visits
 */
export class PipelineMaxComponentRunsError extends PipelineError {}

/**
 * A pipeline or component could not be turned into, or rebuilt from, a plain dictionary.
 *
 * @example
 * Pipeline.fromDict({ components: { x: { type: "Unknown" } } }); // SerializationError
 */
export class SerializationError extends HaystackError {}
