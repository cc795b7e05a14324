import { Document } from "../../../lib/haystack/document";
import { FilterError } from "../../../lib/haystack/document-store/errors";
import { InMemoryDocumentStore } from "../../../lib/haystack/document-store/in-memory-document-store";
import type { Filter } from "../../../lib/haystack/document-store/filters";

function storeWith(): InMemoryDocumentStore {
  const store = new InMemoryDocumentStore();
  store.writeDocuments([
    new Document({ id: "a", content: "alpha", meta: { year: 2020, lang: "en", date: "2024-01-01T00:00:00", nested: { x: 1 } } }),
    new Document({ id: "b", content: "beta", meta: { year: 2022, lang: "fr", date: "2024-06-01T10:00:00+02:00" } }),
    new Document({ id: "c", content: null, meta: { year: 2024, lang: "en", tags: ["t1", "t2"] } }),
    new Document({ id: "d", content: "delta", meta: { lang: "de", url: "https://example.com/d" } }),
  ]);
  return store;
}

const ids = (store: InMemoryDocumentStore, filters: Filter): string[] => store.filterDocuments(filters).map((d) => d.id);

describe("InMemoryDocumentStore filters", () => {
  const store = storeWith();

  it.each<[string, Filter, string[]]>([
    ["==", { field: "meta.lang", operator: "==", value: "en" }, ["a", "c"]],
    ["!=", { field: "meta.lang", operator: "!=", value: "en" }, ["b", "d"]],
    [">", { field: "meta.year", operator: ">", value: 2020 }, ["b", "c"]],
    [">=", { field: "meta.year", operator: ">=", value: 2022 }, ["b", "c"]],
    ["<", { field: "meta.year", operator: "<", value: 2022 }, ["a"]],
    ["<=", { field: "meta.year", operator: "<=", value: 2022 }, ["a", "b"]],
    ["in", { field: "meta.lang", operator: "in", value: ["fr", "de"] }, ["b", "d"]],
    ["not in", { field: "meta.lang", operator: "not in", value: ["fr", "de"] }, ["a", "c"]],
    ["== on a list value", { field: "meta.tags", operator: "==", value: ["t1", "t2"] }, ["c"]],
    ["== null on content", { field: "content", operator: "==", value: null }, ["c"]],
    ["a nested meta path", { field: "meta.nested.x", operator: "==", value: 1 }, ["a"]],
    ["a bare field name looked up in meta", { field: "url", operator: "==", value: "https://example.com/d" }, ["d"]],
    ["ISO dates with >", { field: "meta.date", operator: ">", value: "2024-03-01" }, ["b"]],
    ["a naive date against an aware one (takes its offset)", { field: "meta.date", operator: "<", value: "2024-06-01T09:00:00+02:00" }, ["a"]],
  ])("matches with %s", (_name, filter, expected) => {
    expect(ids(store, filter)).toEqual(expected);
  });

  it("compares ISO dates by instant for ==, !=, in, not in, >= and <=, as Haystack 3.4.1 does", () => {
    // python (haystack-ai 3.4.1): InMemoryDocumentStore.filter_documents over these three documents
    const dates = new InMemoryDocumentStore();
    dates.writeDocuments([
      new Document({ id: "z", content: "doc", meta: { date: "2025-02-03T12:45:46Z" } }),
      new Document({ id: "n", content: "doc", meta: { date: "2025-02-03 12:45:46" } }),
      new Document({ id: "w", content: "doc", meta: { date: "2025-02-03" } }),
    ]);
    const cases: [Filter["operator"], unknown, string[]][] = [
      ["==", "2025-02-03T12:45:46+00:00", ["z", "n"]],
      ["in", ["2025-02-03T12:45:46+00:00"], ["z", "n"]],
      ["!=", "2025-02-03T12:45:46+00:00", ["w"]],
      ["not in", ["2025-02-03T12:45:46+00:00"], ["w"]],
      [">=", "2025-02-03T12:45:46+00:00", ["z", "n"]],
      ["<=", "2025-02-03T13:45:46+01:00", ["z", "n", "w"]],
      ["==", "2025-02-03T13:45:46+01:00", ["z"]],
      ["==", "2025-02-03T12:45:46", ["z", "n"]],
      ["==", "2025-02-03T00:00:00", ["w"]],
      ["==", "not a date", []],
      ["==", "2025-02-03T12:45:46.000Z", ["z", "n"]],
    ];
    for (const [operator, value, expected] of cases) {
      expect([operator, value, ids(dates, { field: "meta.date", operator, value } as Filter)]).toEqual([operator, value, expected]);
    }
  });

  it("never matches missing values with ordering operators", () => {
    expect(ids(store, { field: "meta.year", operator: "<", value: 3000 })).toEqual(["a", "b", "c"]);
  });

  it("combines conditions with AND, OR and NOT, nested", () => {
    const filter: Filter = {
      operator: "OR",
      conditions: [
        {
          operator: "AND",
          conditions: [
            { field: "meta.lang", operator: "==", value: "en" },
            { field: "meta.year", operator: ">", value: 2021 },
          ],
        },
        { operator: "NOT", conditions: [{ field: "meta.lang", operator: "in", value: ["en", "fr"] }] },
      ],
    };
    expect(ids(store, filter)).toEqual(["c", "d"]);
  });

  it("returns every document without filters or with an empty filter", () => {
    expect(store.filterDocuments().length).toBe(4);
    expect(store.filterDocuments({} as Filter).length).toBe(4);
  });

  it.each<[string, unknown, RegExp]>([
    ["an unknown comparison operator", { field: "meta.a", operator: "=", value: 1 }, /unknown comparison operator "=" \(a string\); expected one of ==/],
    ["an unknown logical operator", { operator: "XOR", conditions: [] }, /unknown logical operator "XOR"/],
    ["a missing value", { field: "meta.a", operator: "==" }, /has no 'value' key/],
    ["'in' without an array", { field: "meta.a", operator: "in", value: "x" }, /operator 'in' needs an array value/],
    ["a missing operator", { field: "meta.a", value: 1 }, /has no 'operator' key/],
    ["conditions that are not an array", { operator: "AND", conditions: {} }, /needs a 'conditions' array/],
    [
      "a nested bad condition, with its path",
      { operator: "AND", conditions: [{ operator: "OR", conditions: [{ field: 1, operator: "==", value: 1 }] }] },
      /filters\.conditions\[0\]\.conditions\[0\]\.field must be a non-empty string/,
    ],
    ["a comparison operator used as logical", { operator: "==", conditions: [] }, /a comparison needs a 'field' key/],
  ])("rejects %s with a FilterError that says what is wrong", (_name, filter, message) => {
    expect(() => store.filterDocuments(filter as Filter)).toThrow(FilterError);
    expect(() => store.filterDocuments(filter as Filter)).toThrow(message);
  });

  it("rejects malformed filters even on an empty store", () => {
    expect(() => new InMemoryDocumentStore().filterDocuments({ field: "x", operator: "~", value: 1 } as unknown as Filter)).toThrow(FilterError);
  });

  it("rejects comparing strings that are not dates", () => {
    expect(() => store.filterDocuments({ field: "meta.lang", operator: ">", value: "en" })).toThrow(/only comparable if they are ISO formatted dates/);
  });

  it("rejects a dotted field that is not a Document field", () => {
    expect(() => store.filterDocuments({ field: "metadata.lang", operator: "==", value: "en" })).toThrow(/use 'meta.metadata.lang'/);
  });
});
