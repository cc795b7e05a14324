/**
 * The seed's RAG pipeline: BM25 retrieval over an in-memory store, a Jinja prompt, an OpenAI
 * generator — shared by the samples.
 */
import {
  Document,
  InMemoryBM25Retriever,
  InMemoryDocumentStore,
  OpenAIChatGenerator,
  OpenAIGenerator,
  Pipeline,
  PromptBuilder,
} from "../../lib/haystack/index";
import type { LanguageModel } from "./language-model";

export const template = `
Given the following information, answer the question.

Documents:
{% for doc in documents %}
    {{ doc.content }}
{% endfor %}

Question: {{question}}
Answer:
`;

/** `chat: true` uses `OpenAIChatGenerator` (the prompt string becomes one user message), as Haystack 3 must. */
export function buildRagPipeline(model: LanguageModel, options: { chat?: boolean } = {}): Pipeline {
  const documentStore = new InMemoryDocumentStore();
  documentStore.writeDocuments([
    new Document({ content: "My name is Jean and I live in Paris." }),
    new Document({ content: "My name is Mark and I live in Berlin." }),
    new Document({ content: "My name is Giorgio and I live in Rome." }),
  ]);

  const pipe = new Pipeline();
  pipe.addComponent("retriever", new InMemoryBM25Retriever({ documentStore }));
  pipe.addComponent("prompt_builder", new PromptBuilder({ template }));
  pipe.addComponent("llm", options.chat === true ? new OpenAIChatGenerator(model.generatorOptions) : new OpenAIGenerator(model.generatorOptions));
  pipe.connect("retriever", "prompt_builder.documents");
  // Python connects "prompt_builder" -> "llm"; here the chat generator's optional `any` sockets (streamingCallback,
  // tools) would also accept the prompt string, so the receiving socket is named.
  pipe.connect("prompt_builder.prompt", options.chat === true ? "llm.messages" : "llm.prompt");
  return pipe;
}
