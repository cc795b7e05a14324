/** Errors of tool invocation; both extend {@link HaystackError}. */
import { HaystackError } from "../errors";

/**
 * A tool failed: its arguments did not match its schema, or its function threw (the original on `cause`).
 *
 * @example
 * catch (err) { if (err instanceof ToolInvocationError) report(err.toolName, err.cause); }
 */
export class ToolInvocationError extends HaystackError {
  readonly toolName: string;
  constructor(message: string, toolName: string, options?: { cause?: unknown }) {
    super(message, options);
    this.toolName = toolName;
  }
}

/**
 * The model called a tool that is not among the agent's tools.
 *
 * @example
 * new ToolNotFoundError("search", ["weather"]).message; // "Tool 'search' not found. Available tools: weather"
 */
export class ToolNotFoundError extends HaystackError {
  readonly toolName: string;
  constructor(toolName: string, availableTools: readonly string[]) {
    super(`Tool '${toolName}' not found. Available tools: ${availableTools.join(", ")}`);
    this.toolName = toolName;
  }
}
