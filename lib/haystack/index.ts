// The declarations use Node's types (AsyncLocalStorage, Buffer, NodeJS.ProcessEnv): a consumer with "types": [] still gets them.
/// <reference types="node" preserve="true" />
/**
 * `mlflow-haystack/haystack`: a Haystack 3.4-style component and pipeline framework.
 * Every public name is listed here; internals (scheduler, graph, run loops) are not exported.
 */

// Components
export { component, getComponentInfo, isComponent, setInputTypes, setOutputTypes } from "./component";
export type { ComponentDecorator, ComponentInfo, ComponentOptions, InputSocketSpec, ResolvedInputSocket, ResolvedOutputSocket, SocketType } from "./component";

// Pipelines
export { AsyncPipeline, Pipeline } from "./pipeline";
export type { AsyncRunOptions, PipelineDict, PipelineOutputs, RunOptions } from "./pipeline";
export type { PipelineBase, PipelineOptions, PipelineSocketInfo } from "./pipeline-base";
export { componentFromDict, componentToDict } from "./serialization";
export type { ComponentDict } from "./serialization";

// Errors
export {
  ComponentError,
  HaystackError,
  PipelineComponentsBlockedError,
  PipelineConnectError,
  PipelineError,
  PipelineMaxComponentRunsError,
  PipelineRuntimeError,
  PipelineValidationError,
  SerializationError,
} from "./errors";
export type { PipelineErrorDetails } from "./errors";

// Tracing hook (used by mlflow-haystack's autolog; any tracer may implement it)
export { getPipelineTracer, setPipelineTracer } from "./tracing-hook";
export type { ComponentRunEvent, PipelineRunEvent, PipelineTracer, SocketDescription } from "./tracing-hook";

// Data classes, stores and RAG components
export { Document, documentId } from "./document";
export type { DocumentDict, DocumentIdScheme, DocumentInit, DocumentMeta } from "./document";
export { Secret } from "./secret";
export type { SecretDict } from "./secret";
export type { DocumentStore } from "./document-store/document-store";
export { InMemoryDocumentStore } from "./document-store/in-memory-document-store";
export type { Bm25RetrievalOptions, InMemoryDocumentStoreOptions } from "./document-store/in-memory-document-store";
export type { Bm25Algorithm, Bm25Parameters } from "./document-store/bm25-formulas";
export type { ComparisonFilter, ComparisonOperator, Filter, LogicalFilter, LogicalOperator } from "./document-store/filters";
export type { FilterPolicy } from "./document-store/filter-policy";
export { InMemoryBM25Retriever } from "./components/in-memory-bm25-retriever";
export type { InMemoryBM25RetrieverInputs, InMemoryBM25RetrieverOptions } from "./components/in-memory-bm25-retriever";
export { PromptBuilder } from "./components/prompt-builder";
export type { PromptBuilderInputs, PromptBuilderOptions } from "./components/prompt-builder";
export { UndefinedError } from "./components/jinja-undefined";
export { OpenAIGenerator } from "./components/openai-generator";
export type { OpenAIGeneratorInputs, OpenAIGeneratorOptions } from "./components/openai-generator";
export type {
  GeneratorReplyMeta,
  GeneratorStreamingCallback,
  GeneratorStreamingChunk,
  OpenAIGeneratorOutputs,
  OpenAIUsage,
} from "./components/openai-streaming";
export { CacheChecker } from "./components/cache-checker";
export type { CacheCheckerOptions } from "./components/cache-checker";

// Haystack 3 chat data classes
export { ChatMessage, ChatRole } from "./dataclasses/chat-message";
export type { AssistantMessageOptions, ChatMessageDict, ChatMessageOptions } from "./dataclasses/chat-message";
export { ReasoningContent, TextContent, ToolCall, ToolCallResult } from "./dataclasses/content-parts";
export type { ChatMessageContent, JsonObject, ToolCallOptions, ToolCallResultContent } from "./dataclasses/content-parts";
export type { OpenAIMessageDict } from "./dataclasses/openai-message";
export { StreamingChunk, ToolCallDelta } from "./dataclasses/streaming-chunk";
export type { ChatStreamingCallback, FinishReason, StreamingChunkOptions, StreamingComponentInfo, ToolCallDeltaOptions } from "./dataclasses/streaming-chunk";

// Haystack 3 generators, tools
export { OpenAIChatGenerator } from "./components/generators/chat/openai-chat-generator";
export type { OpenAIChatGeneratorInputs, OpenAIChatGeneratorOptions, OpenAIChatGeneratorOutputs } from "./components/generators/chat/openai-chat-generator";
export { Tool } from "./tools/tool";
export type { OutputToStateConfig, OutputToStringConfig, ToolFunction, ToolOptions, ToolSpec } from "./tools/tool";
export { ComponentTool } from "./tools/component-tool";
export type { ComponentToolOptions } from "./tools/component-tool";
export { Toolset } from "./tools/toolset";
export type { ToolsType } from "./tools/toolset";
export { ToolInvocationError, ToolNotFoundError } from "./tools/errors";

export { ChatPromptBuilder } from "./components/builders/chat-prompt-builder";
export type { ChatPromptBuilderInputs, ChatPromptBuilderOptions } from "./components/builders/chat-prompt-builder";

// Haystack 3 agents
export { Agent } from "./components/agents/agent";
export type { AgentInputs, AgentOptions, AgentOutputs, ChatGeneratorLike } from "./components/agents/agent";
export { LLM } from "./components/agents/llm";
export type { LLMInputs, LLMOptions, LLMOutputs } from "./components/agents/llm";
export type { StateHandler, StateKeySchema } from "./components/agents/state";
export type { AgentLlmEvent, AgentRunEvent, AgentStepEvent, ToolCallEvent, ToolDescription } from "./tracing-hook";
