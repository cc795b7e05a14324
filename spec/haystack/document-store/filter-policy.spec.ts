import { applyFilterPolicy } from "../../../lib/haystack/document-store/filter-policy";
import type { ComparisonFilter } from "../../../lib/haystack/document-store/filters";

const lang: ComparisonFilter = { field: "meta.lang", operator: "==", value: "en" };
const year: ComparisonFilter = { field: "meta.year", operator: ">", value: 2020 };
const year2: ComparisonFilter = { field: "meta.year", operator: "<", value: 2030 };

describe("applyFilterPolicy", () => {
  it("replace: uses run-time filters when given, else init filters", () => {
    expect(applyFilterPolicy("replace", lang, year)).toBe(year);
    expect(applyFilterPolicy("replace", lang, undefined)).toBe(lang);
    expect(applyFilterPolicy("replace", undefined, null)).toBeUndefined();
  });

  it("merge: ANDs two comparisons on different fields; the run-time one wins on the same field", () => {
    expect(applyFilterPolicy("merge", lang, year)).toEqual({ operator: "AND", conditions: [lang, year] });
    expect(applyFilterPolicy("merge", year, year2)).toBe(year2);
  });

  it("merge: adds a comparison to an AND of the other side", () => {
    expect(applyFilterPolicy("merge", lang, { operator: "AND", conditions: [year] })).toEqual({ operator: "AND", conditions: [year, lang] });
    expect(applyFilterPolicy("merge", { operator: "AND", conditions: [lang, year] }, year2)).toEqual({ operator: "AND", conditions: [lang, year2] });
  });

  it("merge: concatenates logical filters with the same operator, else keeps the run-time one", () => {
    expect(applyFilterPolicy("merge", { operator: "OR", conditions: [lang] }, { operator: "OR", conditions: [year] })).toEqual({
      operator: "OR",
      conditions: [lang, year],
    });
    const runtime = { operator: "NOT" as const, conditions: [year] };
    expect(applyFilterPolicy("merge", { operator: "OR", conditions: [lang] }, runtime)).toBe(runtime);
  });
});
