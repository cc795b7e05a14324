/**
 * How a retriever combines the filters given at construction with those given at run time
 * (Haystack's `apply_filter_policy`): `"replace"` uses the run-time filters when present,
 * `"merge"` ANDs them with the init filters, letting a run-time condition on the same field win.
 */
import { diag } from "../../internal/diagnostics";
import type { ComparisonFilter, Filter, LogicalFilter } from "./filters";

/** `"replace"` (default) or `"merge"`. */
export type FilterPolicy = "replace" | "merge";

const isComparison = (f: Filter): f is ComparisonFilter => "field" in f && "operator" in f && "value" in f;
const isLogical = (f: Filter): f is LogicalFilter => "operator" in f && "conditions" in f;
const fieldOf = (f: Filter): string | undefined => ("field" in f ? f.field : undefined);
const isEmpty = (f: Filter | null | undefined): f is null | undefined => f == null || Object.keys(f).length === 0;

/**
 * The filters a retriever should use for one run.
 *
 * @example
 * applyFilterPolicy("merge", { field: "meta.lang", operator: "==", value: "en" }, { field: "meta.year", operator: ">", value: 2020 });
 * // { operator: "AND", conditions: [lang == en, year > 2020] }
 */
export function applyFilterPolicy(policy: FilterPolicy, initFilters: Filter | null | undefined, runtimeFilters: Filter | null | undefined): Filter | undefined {
  if (policy === "merge" && !isEmpty(initFilters) && !isEmpty(runtimeFilters)) {
    if (isComparison(initFilters) && isComparison(runtimeFilters)) {
      if (initFilters.field === runtimeFilters.field) return runtimeFilters;
      return { operator: "AND", conditions: [initFilters, runtimeFilters] };
    }
    if (isComparison(initFilters) && isLogical(runtimeFilters)) {
      if (runtimeFilters.operator !== "AND") return warnIgnored(runtimeFilters);
      const known = new Set(runtimeFilters.conditions.map(fieldOf));
      const conditions = known.has(initFilters.field) ? [...runtimeFilters.conditions] : [...runtimeFilters.conditions, initFilters];
      return { operator: "AND", conditions };
    }
    if (isLogical(initFilters) && isComparison(runtimeFilters)) {
      if (initFilters.operator !== "AND") return warnIgnored(runtimeFilters);
      const kept = initFilters.conditions.filter((c) => fieldOf(c) !== runtimeFilters.field);
      return { operator: "AND", conditions: [...kept, runtimeFilters] };
    }
    if (isLogical(initFilters) && isLogical(runtimeFilters)) {
      if (initFilters.operator !== runtimeFilters.operator) return warnIgnored(runtimeFilters);
      return { operator: initFilters.operator, conditions: [...initFilters.conditions, ...runtimeFilters.conditions] };
    }
  }
  if (!isEmpty(runtimeFilters)) return runtimeFilters;
  return isEmpty(initFilters) ? undefined : initFilters;
}

function warnIgnored(runtimeFilters: Filter): Filter {
  diag("warn", "filter policy 'merge': the logical operators of the init and run-time filters differ; using the run-time filters only");
  return runtimeFilters;
}
