/**
 * The fields a caller reads from an MLflow answer, checked when the answer arrives: a proxy or a
 * server of another kind that answers 200 `{}` would otherwise surface as a `TypeError` far from
 * the request. MLflow omits empty repeated fields, so only fields every answer carries are listed.
 */

/** A dotted path into a JSON body that must hold an object (`trace.trace_info`) or a string (`experiment_id`). */
export interface RequiredField {
  readonly path: string;
  readonly kind: "object" | "string";
}

function kindOf(value: unknown): "object" | "string" | "other" {
  if (typeof value === "string") return "string";
  return typeof value === "object" && value !== null && !Array.isArray(value) ? "object" : "other";
}

/**
 * The first of `fields` missing from `body` (its path), `"the body"` when `body` is not an object,
 * or undefined when all are there.
 *
 * @example
 * missingField({}, [{ path: "experiment.experiment_id", kind: "string" }]); // "experiment"
 */
export function missingField(body: unknown, fields: readonly RequiredField[]): string | undefined {
  if (kindOf(body) !== "object") return "the body";
  for (const field of fields) {
    let value: unknown = body;
    const parts = field.path.split(".");
    for (let i = 0; i < parts.length; i++) {
      value = (value as Record<string, unknown>)[parts[i] as string];
      const expected = i === parts.length - 1 ? field.kind : "object";
      if (kindOf(value) !== expected) return parts.slice(0, i + 1).join(".");
    }
  }
  return undefined;
}

/** Fields of each answer the SDK reads. */
export const REQUIRED = {
  experiment: [{ path: "experiment.experiment_id", kind: "string" }],
  createdExperiment: [{ path: "experiment_id", kind: "string" }],
  traceInfo: [{ path: "trace.trace_info.trace_id", kind: "string" }],
  assessment: [{ path: "assessment", kind: "object" }],
  anyObject: [],
} as const satisfies Record<string, readonly RequiredField[]>;
