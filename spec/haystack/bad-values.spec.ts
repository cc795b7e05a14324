import { ChatPromptBuilder, InMemoryBM25Retriever, InMemoryDocumentStore, PromptBuilder } from "../../lib/haystack";

const cycle: Record<string, unknown> = {};
cycle["self"] = cycle;

describe("Haystack components given a value JSON cannot encode", () => {
  it.each([
    [
      "InMemoryBM25Retriever topK 5n",
      () => new InMemoryBM25Retriever({ documentStore: new InMemoryDocumentStore(), topK: 5n as never }),
      /topK must be a number > 0, got 5n \(a bigint\)/,
    ],
    [
      "PromptBuilder requiredVariables 5n",
      () => new PromptBuilder({ template: "x", requiredVariables: 5n as never }),
      /requiredVariables must be .*, got 5n \(a bigint\)/,
    ],
    [
      "ChatPromptBuilder requiredVariables cycle",
      () => new ChatPromptBuilder({ template: [], requiredVariables: cycle as never }),
      /got an object with key self/,
    ],
    [
      "InMemoryDocumentStore bm25Algorithm 1n",
      () => new InMemoryDocumentStore({ bm25Algorithm: 1n as never }),
      /bm25Algorithm must be one of .*, got 1n \(a bigint\)/,
    ],
  ])("%s: throws its own error naming the value's kind", (_, make, message) => {
    expect(make).toThrow(message);
  });
});
