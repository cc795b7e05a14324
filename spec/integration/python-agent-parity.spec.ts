/**
 * Parity with Python haystack-ai 3.4.1's Agent: the same agent (two tools, one failing once) runs in
 * Python (spec/support/python/haystack_agent_run.py) and here against one loopback OpenAI-compatible
 * server scripted with tool calls. The requests each side sends, the messages, tool results, step
 * count, tool call counts and token usage must be the same. The first run installs the pinned
 * haystack-ai into a cached virtualenv.
 */
import { join, resolve } from "node:path";
import { ChatMessage } from "../../lib/haystack/index";
import { runPythonJson } from "../support/mlflow-server";
import { startOpenAIServer, type OpenAIServer, type RecordedRequest } from "../support/openai-server";
import { parityAgent, parityScript } from "./parity-agent";

const ROOT = resolve(__dirname, "..", "..");
const { ensurePythonVenv } = require("../../scripts/python-venv") as {
  ensurePythonVenv(options: { requirementsFile: string; packageName: string; importCheck: string; logPrefix: string; env: Record<string, string> }): {
    python: string;
  };
};
const PYTHON_ENV = { HAYSTACK_TELEMETRY_ENABLED: "False" };

interface AgentRun {
  messages: unknown[];
  step_count: number;
  token_usage: Record<string, unknown>;
  tool_call_counts: Record<string, number>;
  exit_reason: string;
}

async function typescriptRun(url: string): Promise<AgentRun> {
  const agent = parityAgent(url);
  const out = await agent.run({ messages: [ChatMessage.fromUser("Weather in Paris and the USD rate?")] });
  return {
    messages: out.messages.map((m) => m.toDict()),
    step_count: out.step_count,
    token_usage: out.token_usage,
    tool_call_counts: out.tool_call_counts,
    exit_reason: out.exit_reason ?? "",
  };
}

/** Removes null leaves, collecting their paths: Python's openai client fills usage fields the server did not send with None. */
function withoutNulls(value: unknown, path: string, dropped: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, `${path}[]`, dropped));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null && /usage/.test(path)) dropped.add(`${path}.${k}`.replace(/^\./, ""));
    else out[k] = withoutNulls(v, `${path}.${k}`, dropped);
  }
  return out;
}

/** What the model received: the body minus what the two clients legitimately send differently. */
function wire(request: RecordedRequest): unknown {
  const { stream: _stream, ...body } = request.body ?? {};
  return body;
}

describe("agent parity with Python haystack-ai 3.4.1", () => {
  let server: OpenAIServer;
  let python: string;

  beforeAll(async () => {
    python = ensurePythonVenv({
      requirementsFile: join(ROOT, "python", "requirements-haystack.txt"),
      packageName: "haystack-ai",
      importCheck: "import haystack",
      logPrefix: "ensure-haystack-ai",
      env: PYTHON_ENV,
    }).python;
    server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18", cachedTokens: 2 });
  });
  afterAll(async () => server.close());

  it("sends the same requests and returns the same messages, tool results, steps, counts and token usage", async () => {
    server.setReply(parityScript());
    const py = (await runPythonJson(python, "haystack_agent_run.py", [server.url], PYTHON_ENV)) as AgentRun;
    const pyRequests = server.requests.splice(0);
    server.setReply(parityScript());
    const ts = await typescriptRun(server.url);
    const tsRequests = server.requests.splice(0);

    expect(tsRequests.map(wire)).toEqual(pyRequests.map(wire));
    // The one difference: usage fields the server never sent are null in Python (its client's model defaults) and
    // absent here (we keep the usage object as the server sent it).
    const dropped = new Set<string>();
    expect(ts.messages).toEqual(withoutNulls(py.messages, "", dropped));
    expect(ts.token_usage).toEqual(withoutNulls(py.token_usage, "usage", dropped));
    expect([...dropped].sort()).toEqual([
      "[].meta.usage.completion_tokens_details.text_tokens",
      "[].meta.usage.prompt_tokens_details.cache_write_tokens",
      "[].meta.usage.prompt_tokens_details.image_tokens",
      "[].meta.usage.prompt_tokens_details.text_tokens",
      "usage.completion_tokens_details.text_tokens",
      "usage.prompt_tokens_details.cache_write_tokens",
      "usage.prompt_tokens_details.image_tokens",
      "usage.prompt_tokens_details.text_tokens",
    ]);
    expect(ts.step_count).toBe(py.step_count);
    expect(ts.step_count).toBe(3);
    expect(ts.tool_call_counts).toEqual(py.tool_call_counts);
    expect(ts.exit_reason).toBe(py.exit_reason);
  });
});
