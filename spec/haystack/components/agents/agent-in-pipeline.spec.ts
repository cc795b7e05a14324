import { Agent, type ChatMessage, LLM, OpenAIChatGenerator, Pipeline, PipelineConnectError, PromptBuilder } from "../../../../lib/haystack";
import { startOpenAIServer, type OpenAIServer } from "../../../support/openai-server";

let server: OpenAIServer;
beforeEach(async () => {
  server = await startOpenAIServer({ model: "gpt-4o-mini-2024-07-18" });
});
afterEach(async () => server.close());

const generator = () => new OpenAIChatGenerator({ apiKey: "test", apiBaseUrl: server.url, maxRetries: 0 });

describe("an Agent or LLM fed by a PromptBuilder in a pipeline", () => {
  it("connect('prompt', 'agent') feeds the prompt to the agent's messages, not its streaming callback", async () => {
    server.setReply(() => "It is sunny.");
    const pipe = new Pipeline();
    pipe.addComponent("prompt", new PromptBuilder({ template: "Weather in {{ city }}?" }));
    pipe.addComponent("agent", new Agent({ chatGenerator: generator() }));
    pipe.connect("prompt", "agent");

    expect(pipe.toDict().connections).toEqual([{ sender: "prompt.prompt", receiver: "agent.messages" }]);
    const result = await pipe.run({ prompt: { city: "Paris" } });
    expect((result["agent"]!["last_message"] as ChatMessage).text).toBe("It is sunny.");
  });

  it("connect('prompt', 'llm') feeds the LLM's only prompt variable", () => {
    const pipe = new Pipeline();
    pipe.addComponent("prompt", new PromptBuilder({ template: "{{ text }}" }));
    pipe.addComponent("llm", new LLM({ chatGenerator: generator(), userPrompt: "Summarize: {{ document }}" }));
    pipe.connect("prompt", "llm");
    expect(pipe.toDict().connections).toEqual([{ sender: "prompt.prompt", receiver: "llm.document" }]);
  });

  it("connect('prompt_builder', 'llm') feeds a chat generator's messages, as Haystack resolves it", async () => {
    server.setReply(() => "Paris.");
    const pipe = new Pipeline();
    pipe.addComponent("prompt_builder", new PromptBuilder({ template: "Capital of {{ country }}?" }));
    pipe.addComponent("llm", generator());
    pipe.connect("prompt_builder", "llm");
    expect(pipe.toDict().connections).toEqual([{ sender: "prompt_builder.prompt", receiver: "llm.messages" }]);
    const result = await pipe.run({ prompt_builder: { country: "France" } });
    expect((result["llm"]!["replies"] as ChatMessage[])[0]?.text).toBe("Paris.");
    expect(() => pipe.connect("prompt_builder.prompt", "llm.tools")).toThrow(PipelineConnectError);
  });

  it("refuses a string into the streaming callback when named", () => {
    const pipe = new Pipeline();
    pipe.addComponent("prompt", new PromptBuilder({ template: "{{ text }}" }));
    pipe.addComponent("agent", new Agent({ chatGenerator: generator() }));
    expect(() => pipe.connect("prompt.prompt", "agent.streamingCallback")).toThrow(PipelineConnectError);
  });
});
