/**
 * Your own component, with a method of it traced by @traced: the method's span nests under the
 * component's span, and a streaming helper records each chunk.
 * Run: npx ts-node samples/custom-component.ts
 */
import * as mlflow from "../lib/index";
import { component, Document, Pipeline } from "../lib/haystack/index";

const corpus = ["Paris is the capital of France.", "Berlin is the capital of Germany.", "Rome is the capital of Italy."];

@component({ inputs: { query: "str", topK: { type: "int", default: 2 } }, outputs: { documents: "Document[]" }, spanType: "RETRIEVER" })
class KeywordRetriever {
  async run({ query, topK }: { query: string; topK: number }) {
    const words = await this.tokenize(query);
    const documents = corpus
      .map((content) => new Document({ content, score: words.filter((w) => content.toLowerCase().includes(w)).length }))
      .filter((d) => (d.score ?? 0) > 0)
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
      .slice(0, topK);
    return { documents };
  }

  @mlflow.traced({ spanType: mlflow.SpanType.PARSER })
  async tokenize(text: string): Promise<string[]> {
    return text
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 3);
  }
}

async function main(): Promise<void> {
  mlflow.haystack.autolog();
  const pipe = new Pipeline({ metadata: { name: "keyword_search" } });
  pipe.addComponent("retriever", new KeywordRetriever());
  const result = await pipe.run({ retriever: { query: "What is the capital of France?" } });
  const documents = (result["retriever"] as { documents: Document[] }).documents;
  console.log(`Top document: ${documents[0]?.content}`);

  const spans = mlflow.getLastActiveTrace()?.data.spans ?? [];
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (const span of spans) {
    const parent = span.parentId === null ? "-" : byId.get(span.parentId)?.name;
    console.log(`span ${span.name} (${span.spanType}) parent=${parent}`);
  }
  await mlflow.flushTraces();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
