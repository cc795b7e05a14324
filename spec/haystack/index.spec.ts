import * as haystack from "../../lib/haystack/index";

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
        "component",
        "componentFromDict",
        "componentToDict",
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
});
