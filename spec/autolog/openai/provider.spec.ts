import { providerFromBaseUrl } from "../../../lib/autolog/openai/provider";

describe("mlflow.llm.provider of an OpenAI client", () => {
  it.each([
    ["https://api.openai.com/v1", "openai"],
    [undefined, "openai"],
    ["https://my-resource.openai.azure.com/openai", "azure"],
    ["https://api.groq.com/openai/v1", "groq"],
    ["http://localhost:11434/v1", "localhost:11434"],
    ["http://10.0.0.5:8000/v1", "10.0.0.5:8000"],
    ["not a url", "openai"],
  ])("%s → %s", (baseURL, provider) => {
    expect(providerFromBaseUrl(baseURL)).toBe(provider);
  });
});
