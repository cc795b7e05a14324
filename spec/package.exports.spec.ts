// The exact runtime names of every entry point, read from the built package through its `exports`
// map with require (CJS) and import (ESM): a name added or dropped by accident fails here.
// Types are checked separately (spec/types/*.spec.ts and the consumer spec).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { built } from "./support/built-sdk";

const root = path.resolve(__dirname, "..");

const EXPECTED: Record<string, string[]> = {
  "mlflow-haystack": [
    "AssessmentNotFoundError",
    "BUNDLED_PRICES_DATE",
    "ConfigError",
    "ExportError",
    "InvalidAssessmentError",
    "InvalidFilterError",
    "MlflowApiError",
    "MlflowHaystackError",
    "SpanAttributeKey",
    "SpanType",
    "autolog",
    "configureExport",
    "configureTracing",
    "continueTrace",
    "deleteAssessment",
    "disableOtelBridge",
    "enableOtelBridge",
    "flushTraces",
    "getAssessment",
    "getCurrentActiveSpan",
    "getLastActiveTrace",
    "getLastActiveTraceId",
    "getModelPricing",
    "getTrace",
    "getTraceUrl",
    "getTrackingUri",
    "haystack",
    "injectTraceContext",
    "isOtelBridgeEnabled",
    "iterateTraces",
    "logExpectation",
    "logFeedback",
    "openai",
    "overrideFeedback",
    "searchTraces",
    "setDiagnosticsLogger",
    "setExperiment",
    "setModelPricing",
    "setTraceClient",
    "setTrackingUri",
    "shutdownExport",
    "startSpan",
    "traceFromJSON",
    "traceOpenAI",
    "traced",
    "tracing",
    "tracingContext",
    "updateAssessment",
    "updateCurrentTrace",
  ],
  "mlflow-haystack/export": ["FanOutClient", "LocalStore", "MemoryClient", "MlflowRestClient", "OtlpClient", "getDiagnosticsCounts", "otlpClientFromEnv"],
  "mlflow-haystack/haystack": [
    "Agent",
    "AsyncPipeline",
    "CacheChecker",
    "ChatMessage",
    "ChatPromptBuilder",
    "ChatRole",
    "ComponentError",
    "ComponentTool",
    "Document",
    "HaystackError",
    "InMemoryBM25Retriever",
    "InMemoryDocumentStore",
    "LLM",
    "OpenAIChatGenerator",
    "OpenAIGenerator",
    "Pipeline",
    "PipelineComponentsBlockedError",
    "PipelineConnectError",
    "PipelineError",
    "PipelineMaxComponentRunsError",
    "PipelineRuntimeError",
    "PipelineValidationError",
    "PromptBuilder",
    "ReasoningContent",
    "Secret",
    "SerializationError",
    "StreamingChunk",
    "TextContent",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "ToolCallResult",
    "ToolInvocationError",
    "ToolNotFoundError",
    "Toolset",
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
  ],
};

function exportedNames(type: "commonjs" | "module"): Record<string, string[]> {
  const entries = JSON.stringify(Object.keys(EXPECTED));
  const load = type === "commonjs" ? "(entry) => Promise.resolve(require(entry))" : "(entry) => import(entry)";
  // An ESM namespace of a CommonJS module also lists `__esModule` (the marker tsc sets) and, from Node 22.12/23,
  // `module.exports` (the whole object): neither is an export of ours.
  const script = `
    const load = ${load};
    Promise.all(${entries}.map(async (entry) => [entry, Object.keys(await load(entry)).filter((k) => k !== "__esModule" && k !== "module.exports").sort()]))
      .then((pairs) => process.stdout.write(JSON.stringify(Object.fromEntries(pairs))));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type", type, "-e", script], { cwd: root, encoding: "utf8", env: { ...process.env } })) as Record<
    string,
    string[]
  >;
}

describe("the public API", () => {
  beforeAll(() => void built("index")); // refuse a stale dist

  it.each(["commonjs", "module"] as const)("exports exactly the listed runtime names from every entry point (%s)", (type) => {
    expect(exportedNames(type)).toEqual(EXPECTED);
  });

  it("ships no @internal member in its declarations", () => {
    const dist = path.join(root, "dist");
    const declarations = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((file) => /\.d\.m?ts$/.test(file));
    expect(declarations.length).toBeGreaterThan(50);
    expect(declarations.filter((file) => readFileSync(path.join(dist, file), "utf8").includes("@internal"))).toEqual([]);
  });
});
