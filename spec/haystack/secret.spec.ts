import { inspect } from "node:util";
import { Secret } from "../../lib/haystack/secret";

describe("Secret", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("resolves the first set environment variable", () => {
    delete process.env["HS_TEST_A"];
    process.env["HS_TEST_B"] = "b-value";
    expect(Secret.fromEnvVar(["HS_TEST_A", "HS_TEST_B"]).resolveValue()).toBe("b-value");
  });

  it("throws naming the variables when a strict env secret is unset", () => {
    delete process.env["HS_TEST_A"];
    expect(() => Secret.fromEnvVar("HS_TEST_A").resolveValue()).toThrow(/HS_TEST_A/);
  });

  it("returns undefined for an unset non-strict env secret", () => {
    delete process.env["HS_TEST_A"];
    expect(Secret.fromEnvVar("HS_TEST_A", { strict: false }).resolveValue()).toBeUndefined();
  });

  it("serializes env secrets and revives them", () => {
    const dict = Secret.fromEnvVar("OPENAI_API_KEY").toDict();
    expect(dict).toEqual({ type: "env_var", env_vars: ["OPENAI_API_KEY"], strict: true });
    process.env["OPENAI_API_KEY"] = "k";
    expect(Secret.fromDict(dict).resolveValue()).toBe("k");
  });

  it("never reveals a token through toDict, JSON, toString, template strings or inspect", () => {
    const secret = Secret.fromToken("sk-very-secret");
    expect(secret.resolveValue()).toBe("sk-very-secret");
    const views = [
      JSON.stringify(secret.toDict()),
      JSON.stringify({ secret }),
      String(secret),
      `${secret}`,
      inspect(secret),
      inspect({ nested: { secret } }, { showHidden: true, depth: 5 }),
    ];
    for (const view of views) expect(view).not.toContain("sk-very-secret");
    expect(secret.toDict()).toEqual({ type: "token", redacted: true });
  });

  it("refuses to revive a token secret", () => {
    expect(() => Secret.fromDict({ type: "token", redacted: true })).toThrow(/Secret.fromToken/);
  });

  it("rejects empty tokens and variable names", () => {
    expect(() => Secret.fromToken("")).toThrow(TypeError);
    expect(() => Secret.fromEnvVar([])).toThrow(TypeError);
  });
});
