import { checkCompatibility, convertValue, isListType } from "../../lib/haystack/type-compat";

describe("socket type compatibility", () => {
  it.each([
    ["str", "str", "strict"],
    ["Document[]", "any", "strict"],
    ["any", "str", "strict"],
    ["str", "str|None", "strict"],
    ["str", "Optional[str]", "strict"],
    ["List[Document]", "Document[]", "strict"],
    ["list", "str[]", "strict"],
    ["str|int", "str", "none"],
    ["str|None", "str", "none"],
    ["int", "float", "none"],
    ["Document[]", "str[]", "none"],
    ["str", "str[]", "convert"],
    ["str[]", "str", "convert"],
    ["list[str]", "Optional[str]", "convert"],
    // Haystack 3.4 unwraps only lists of str (and of ChatMessage): anything else would drop items silently.
    ["Document[]", "Document", "none"],
    ["list[int]", "int", "none"],
    ["list[Optional[str]]", "str", "none"],
    ["list[list[str]]", "list[str]", "none"],
    ["list[list[str]]", "str", "none"],
  ])("%s -> %s is %s", (sender, receiver, kind) => {
    expect(checkCompatibility(sender, receiver).kind).toBe(kind);
  });

  it("recognises list types that can collect several senders", () => {
    expect(isListType("Document[]")).toBe(true);
    expect(isListType("Optional[list[str]]")).toBe(true);
    expect(isListType("str[]|Document[]")).toBe(true);
    expect(isListType("str")).toBe(false);
    expect(isListType("any")).toBe(false);
  });

  it("wraps and unwraps values, refusing lists that are not exactly one item", () => {
    expect(convertValue("wrap", "a")).toEqual(["a"]);
    expect(convertValue("unwrap", ["a"])).toBe("a");
    expect(() => convertValue("unwrap", ["a", "b"])).toThrow(/cannot unwrap a list of 2 items/);
  });
});
