/**
 * A Haystack 3 agent: OpenAIChatGenerator with two tools, traced by mlflow.haystack.autolog() as
 * one span tree — agent → step N → the LLM call (shown as a chat in the MLflow UI) and one span
 * per tool call. Without OPENAI_API_KEY a labelled offline demo model (a script) plays the LLM.
 * Run: npx ts-node samples/agent.ts
 */
import * as mlflow from "../lib/index";
import { palette, colorEnabled } from "../lib/cli/cli-io";
import { renderTrace } from "../lib/cli/render-tree";
import { Agent, ChatMessage, OpenAIChatGenerator, Tool } from "../lib/haystack/index";
import { chooseAgentModel } from "./support/agent-model";

const TEMPERATURES: Record<string, number> = { Paris: 21, Berlin: 17, Rome: 26, Oslo: 9 };

const weather = new Tool({
  name: "weather",
  description: "The current temperature of a city, in °C.",
  parameters: { type: "object", properties: { city: { type: "string", description: "A city name, e.g. Paris" } }, required: ["city"] },
  function: ({ city }) => {
    const t = TEMPERATURES[String(city)];
    if (t === undefined) throw new Error(`no weather station in ${String(city)}`);
    return `It is ${t} °C in ${String(city)}.`;
  },
});

const calculator = new Tool({
  name: "calculator",
  description: "Evaluates an arithmetic expression with + - * / and parentheses.",
  parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"] },
  function: ({ expression }) => {
    const source = String(expression);
    if (!/^[\d\s+\-*/().]+$/.test(source)) throw new Error("only numbers, + - * / and parentheses are allowed");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the pattern above admits arithmetic only
    return String(Number(Function(`"use strict"; return (${source});`)()));
  },
});

async function main(): Promise<void> {
  mlflow.haystack.autolog();
  if (process.env["MLFLOW_EXPERIMENT_NAME"] === undefined) void mlflow.setExperiment("haystack-agent-demo");
  const model = await chooseAgentModel();
  try {
    console.log(`The agent's LLM is ${model.description}.\n`);
    const agent = new Agent({
      chatGenerator: new OpenAIChatGenerator(model.generatorOptions),
      tools: [weather, calculator],
      systemPrompt: "Answer with the tools. Use the calculator for arithmetic.",
      maxAgentSteps: 6,
    });
    const question = "What is the weather in Paris and Berlin, and what is their average temperature?";
    const result = await agent.run({ messages: [ChatMessage.fromUser(question)] });
    console.log(`Question: ${question}`);
    console.log(`Answer: ${result.last_message?.text ?? "(no text)"}`);
    console.log(`Steps: ${result.step_count}, tool calls: ${JSON.stringify(result.tool_call_counts)}, tokens: ${String(result.token_usage["total_tokens"])}\n`);
    const trace = mlflow.getLastActiveTrace();
    if (trace !== undefined) console.log(renderTrace(trace, { verbose: false, colors: palette(colorEnabled(process.stdout, process.env)) }));
    const { exported, failed } = await mlflow.flushTraces();
    console.log(`\nTrace ${trace?.info.traceId ?? "?"}: ${exported} exported, ${failed} failed.`);
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
