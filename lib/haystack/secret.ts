import { describeValue } from "../internal/describe-value";
import { inspect } from "node:util";

/** The serialized form of a {@link Secret}; never contains a token value. */
export type SecretDict = { type: "env_var"; env_vars: string[]; strict: boolean } | { type: "token"; redacted: true };

/**
 * A credential that components resolve when they need it: read from environment variables
 * (serializable) or held as a token (never serialized, printed or logged).
 *
 * @example
 * const key = Secret.fromEnvVar("OPENAI_API_KEY");
 * key.resolveValue(); // the env var's value, or throws if it is unset (strict)
 */
export abstract class Secret {
  /**
   * A secret read from the first set variable of `names`. `strict` (default true) makes
   * `resolveValue()` throw when none is set, instead of returning undefined.
   *
   * @example
   * Secret.fromEnvVar(["AZURE_OPENAI_KEY", "OPENAI_API_KEY"], { strict: false });
   */
  static fromEnvVar(names: string | readonly string[], options: { strict?: boolean } = {}): Secret {
    const list = typeof names === "string" ? [names] : [...names];
    if (list.length === 0 || list.some((n) => typeof n !== "string" || n === "")) {
      throw new TypeError(`Secret.fromEnvVar() expects one or more variable names, got ${describeValue(names)}.`);
    }
    return new EnvVarSecret(list, options.strict ?? true);
  }

  /**
   * A secret holding `token` itself. It serializes as `{ type: "token", redacted: true }`.
   *
   * @example
   * Secret.fromToken(process.env.MY_KEY ?? "");
   */
  static fromToken(token: string): Secret {
    if (typeof token !== "string" || token === "") {
      throw new TypeError("Secret.fromToken() expects a non-empty string token.");
    }
    return new TokenSecret(token);
  }

  /**
   * Revives an env-var secret from `toDict()` output; token secrets cannot be revived.
   *
   * @example
   * Secret.fromDict({ type: "env_var", env_vars: ["OPENAI_API_KEY"], strict: true });
   */
  static fromDict(data: SecretDict | Record<string, unknown>): Secret {
    if (data["type"] === "env_var" && Array.isArray(data["env_vars"])) {
      return new EnvVarSecret(data["env_vars"] as string[], data["strict"] !== false);
    }
    throw new TypeError(
      `Secret.fromDict() can only revive env-var secrets ({ type: "env_var", env_vars: [...] }); got type ${JSON.stringify(data["type"])}. ` +
        "Token secrets are never serialized; pass the token again with Secret.fromToken().",
    );
  }

  /** The secret's value; for env-var secrets, undefined when unset and not strict. */
  abstract resolveValue(): string | undefined;

  /** The serializable description (no token value). */
  abstract toDict(): SecretDict;

  toJSON(): SecretDict {
    return this.toDict();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

class EnvVarSecret extends Secret {
  constructor(
    private readonly envVars: readonly string[],
    private readonly strict: boolean,
  ) {
    super();
  }

  override resolveValue(): string | undefined {
    for (const name of this.envVars) {
      const value = process.env[name];
      if (value !== undefined) return value;
    }
    if (this.strict) {
      throw new Error(
        `None of the following authentication environment variables are set: ${this.envVars.join(", ")}. ` +
          "Set one of them, or pass the credential explicitly (for example apiKey: Secret.fromToken(...)).",
      );
    }
    return undefined;
  }

  override toDict(): SecretDict {
    return { type: "env_var", env_vars: [...this.envVars], strict: this.strict };
  }

  override toString(): string {
    return `Secret(env_var: ${this.envVars.join(", ")})`;
  }
}

class TokenSecret extends Secret {
  readonly #token: string;

  constructor(token: string) {
    super();
    this.#token = token;
  }

  override resolveValue(): string {
    return this.#token;
  }

  override toDict(): SecretDict {
    return { type: "token", redacted: true };
  }

  override toString(): string {
    return "Secret(token: ***)";
  }
}
