/**
 * The agent's run state, as Haystack 3.4's `State`: values by key, each written through its
 * schema handler — lists are concatenated (`merge_lists`), anything else is replaced.
 */

/** How a value merges into the state: `(current, incoming) => next`. */
export type StateHandler = (current: unknown, incoming: unknown) => unknown;

/** One key of a state schema: a type tag (`"str"`, `"list[Document]"`, `"ChatMessage[]"`, …) and an optional handler. */
export interface StateKeySchema {
  type: string;
  handler?: StateHandler;
}

/** Concatenates, treating a non-list as a one-item list (Haystack's `merge_lists`). */
export const mergeLists: StateHandler = (current, incoming) => {
  const a = current === undefined || current === null ? [] : Array.isArray(current) ? current : [current];
  return [...a, ...(Array.isArray(incoming) ? incoming : [incoming])];
};

/** Replaces the value (Haystack's `replace_values`). */
export const replaceValues: StateHandler = (_current, incoming) => incoming;

function isListType(type: string): boolean {
  return /^(list|List|Sequence)(\[.*\])?$/.test(type) || type.endsWith("[]");
}

/** Keys an agent maintains itself; a user's `stateSchema` may not define them. */
export const RESERVED_STATE_KEYS: readonly string[] = [
  "step_count",
  "token_usage",
  "tool_call_counts",
  "exit_reason",
  "continue_run",
  "stop_run",
  "tools",
  "hook_context",
  "context_tokens",
];

/** Throws naming the problem when a user's state schema is not usable. */
export function checkStateSchema(schema: Record<string, StateKeySchema>): void {
  const reserved = Object.keys(schema)
    .filter((k) => RESERVED_STATE_KEYS.includes(k))
    .sort();
  if (reserved.length > 0) {
    throw new TypeError(
      `stateSchema keys ${reserved.join(", ")} are reserved for the Agent's own state and cannot be redefined. Reserved keys: ${[...RESERVED_STATE_KEYS].sort().join(", ")}.`,
    );
  }
  for (const [key, config] of Object.entries(schema)) {
    if (typeof config !== "object" || config === null || typeof config.type !== "string") {
      throw new TypeError(`stateSchema.${key} must be { type: "<type tag>", handler?: (current, incoming) => next }.`);
    }
    if (config.handler !== undefined && typeof config.handler !== "function") throw new TypeError(`stateSchema.${key}.handler must be a function.`);
  }
}

/** The values of one agent run. */
export class AgentState {
  readonly #schema: Record<string, StateKeySchema>;
  readonly data = new Map<string, unknown>();

  constructor(schema: Record<string, StateKeySchema>) {
    this.#schema = schema;
  }

  has(key: string): boolean {
    return this.data.has(key);
  }

  get(key: string): unknown {
    return this.data.get(key);
  }

  /** Merges `value` into `key` with the key's handler (or `handler`, when given). */
  set(key: string, value: unknown, handler?: StateHandler): void {
    const config = this.#schema[key];
    const merge = handler ?? config?.handler ?? (config !== undefined && isListType(config.type) ? mergeLists : replaceValues);
    this.data.set(key, merge(this.data.get(key), value));
  }
}
