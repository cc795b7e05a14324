import * as haystack from "../../lib/haystack/index";
import { resetDiagnosticsCounts, setDiagnosticsLogger } from "../../lib/internal/diagnostics";

describe("mlflow-haystack/haystack public API", () => {
  it("exports exactly the documented runtime names", () => {
    expect(Object.keys(haystack).sort()).toEqual(
      [
        "AsyncPipeline",
        "CacheChecker",
        "ComponentError",
        "Document",
        "HaystackError",
        "InMemoryBM25Retriever",
        "InMemoryDocumentStore",
        "OpenAIGenerator",
        "Pipeline",
        "PipelineComponentsBlockedError",
        "PipelineConnectError",
        "PipelineError",
        "PipelineMaxComponentRunsError",
        "PipelineRuntimeError",
        "PipelineValidationError",
        "PromptBuilder",
        "Secret",
        "SerializationError",
        "UndefinedError",
        "component",
        "componentFromDict",
        "componentToDict",
        "documentId",
        "getComponentInfo",
        "getPipelineTracer",
        "isComponent",
        "setInputTypes",
        "setOutputTypes",
        "setPipelineTracer",
        // Haystack 3 chat, tools and agents (#15)
        ...["ChatMessage", "ChatRole", "ReasoningContent", "StreamingChunk", "TextContent", "ToolCall", "ToolCallDelta", "ToolCallResult"],
        ...["ComponentTool", "OpenAIChatGenerator", "Tool", "ToolInvocationError", "ToolNotFoundError", "Toolset"],
        ...["Agent", "ChatPromptBuilder", "LLM"],
      ].sort(),
    );
  });

  it("exports documentId with the id schemes the README documents", () => {
    expect(haystack.documentId({ content: "test text" })).toBe(new haystack.Document({ content: "test text" }).id);
    expect(haystack.documentId({ content: "x", meta: { b: 1, a: 2 } }, { scheme: "repr" })).not.toBe(
      haystack.documentId({ content: "x", meta: { b: 1, a: 2 } }),
    );
  });

  it("keeps AsyncPipeline (removed in Haystack 3) as a deprecated alias that warns once", async () => {
    const warnings: string[] = [];
    setDiagnosticsLogger((level, message) => {
      if (level === "warn") warnings.push(message);
    });
    try {
      const first = new haystack.AsyncPipeline();
      new haystack.AsyncPipeline();
      expect(first).toBeInstanceOf(haystack.Pipeline);
      expect(await first.run({})).toEqual({});
      expect(warnings.filter((w) => w.includes("AsyncPipeline"))).toEqual([expect.stringMatching(/deprecated.*pipe\.runAsync/)]);
    } finally {
      setDiagnosticsLogger(undefined);
      resetDiagnosticsCounts();
    }
  });
});
