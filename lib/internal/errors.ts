/**
 * The base of the SDK's error family and the configuration error, which every layer throws
 * (export errors extend the base in `lib/export/errors.ts`). Every class is matched by
 * `instanceof` through a brand on the instance rather than the prototype chain, so two installed
 * copies of the package (ESM and CJS, or two versions) still recognise each other's errors.
 */

const KINDS: unique symbol = Symbol.for("mlflow-haystack.errorKinds");

type Branded = { readonly [KINDS]?: readonly string[] };

function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const kinds = (value as Branded)[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * Base of every error the SDK throws or reports.
 *
 * @example
 * try { setTrackingUri("sqlite:///mlflow.db"); } catch (e) { if (e instanceof MlflowHaystackError) console.error(e.message); }
 */
export class MlflowHaystackError extends Error {
  static readonly kind: string = "MlflowHaystackError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && "kind" in c; c = Object.getPrototypeOf(c)) {
      const kind = (c as { kind: unknown }).kind;
      if (typeof kind === "string" && !kinds.includes(kind)) kinds.push(kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds, enumerable: false });
    this.name = new.target.kind;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasKind(value, this.kind);
  }
}

/**
 * Bad configuration: an unsupported tracking URI, a missing credential, a deleted experiment.
 * Thrown at configuration time (or when the exporter first resolves the configuration).
 *
 * @example
 * try { setTrackingUri("file:///tmp/mlruns"); } catch (e) { if (e instanceof ConfigError) process.exitCode = 2; }
 */
export class ConfigError extends MlflowHaystackError {
  static override readonly kind: string = "ConfigError";
}
