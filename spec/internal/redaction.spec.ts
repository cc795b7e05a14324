import { getLastActiveTrace, startSpan, updateCurrentTrace } from "../../lib/index";
import { isSecretKey, redactUrl, redactValues } from "../../lib/internal/redaction";
import { setTrackingUri } from "../../lib/export/destination/config";

const SECRETS = [
  "sk-LEAKED",
  "hunter2",
  "p@ss/w0rd",
  "s3cr3t",
  "eyJhbGciOi",
  "cookie-val",
  "gcp-creds",
  "stripe-key",
  "bearer-tok",
  "inner-pass",
  "wrapped-val",
  "qs-key",
];

function traceText(): string {
  return JSON.stringify(getLastActiveTrace()!.toJSON());
}

describe("redaction of everything a trace carries", () => {
  it("masks secrets in Map keys, attribute names, event attributes, tags and metadata", () => {
    startSpan(
      {
        name: "where",
        inputs: new Map<string, unknown>([
          ["apiKey", "sk-LEAKED"],
          ["query", "hello"],
        ]),
      },
      (span) => {
        span.setAttribute("apiKey", "sk-LEAKED");
        span.setAttributes({ password: "hunter2" });
        span.addEvent("login", { jwt: "eyJhbGciOi", user: "ann" });
        updateCurrentTrace({ tags: { auth: "bearer-tok", env: "dev" }, metadata: { session_cookie: "cookie-val" } });
      },
    );
    const text = traceText();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const trace = getLastActiveTrace()!;
    const span = trace.data.spans[0]!;
    expect(span.inputs).toEqual({ apiKey: "**********", query: "hello" });
    expect(span.attributes["apiKey"]).toBe("**********");
    expect(span.events[0]!.attributes).toEqual({ jwt: "**********", user: "ann" });
    expect(trace.info.tags).toMatchObject({ auth: "**********", env: "dev" });
    expect(trace.info.metadata["session_cookie"]).toBe("**********");
  });

  it("masks whole structures under secret names and credentials inside any string", () => {
    startSpan(
      {
        name: "nested",
        inputs: {
          credentials: { user: "ann", pass: "inner-pass" },
          apiKey: { value: "wrapped-val" },
          note: "connect with postgres://ann:p@ss/w0rd@db.local:5432/app then retry",
          link: "https://api.example/v1/search?q=paris&api_key=qs-key&limit=5",
          GCP_CREDS: "gcp-creds",
          STRIPE_KEY: "stripe-key",
          key: "s3cr3t",
        },
      },
      () => undefined,
    );
    for (const secret of SECRETS) expect(traceText()).not.toContain(secret);
    expect(getLastActiveTrace()!.data.spans[0]!.inputs).toEqual({
      credentials: { user: "**********", pass: "**********" },
      apiKey: { value: "**********" },
      note: "connect with postgres://ann:***@db.local:5432/app then retry",
      link: "https://api.example/v1/search?q=paris&api_key=***&limit=5",
      GCP_CREDS: "**********",
      STRIPE_KEY: "**********",
      key: "**********",
    });
  });

  it("keeps look-alike names that are not secrets", () => {
    const plain = {
      monkey: "banana",
      author: "ann",
      tokenizer: "bpe",
      cacheKey: "c1",
      keyboard: "qwerty",
      max_tokens: 5,
      passage: "text",
      tokens: 12,
      "mlflow.chat.tokenUsage": { input_tokens: 1 },
    };
    startSpan({ name: "plain", inputs: plain }, () => "http://localhost:5000/users/@me");
    const span = getLastActiveTrace()!.data.spans[0]!;
    expect(span.inputs).toEqual(plain);
    expect(span.outputs).toBe("http://localhost:5000/users/@me");
    for (const name of ["monkey", "author", "tokenizer", "cacheKey", "keyboard", "passage", "prompt_tokens", "llm.token_count.prompt"])
      expect(isSecretKey(name)).toBe(false);
    for (const name of ["key", "auth", "bearer", "jwt", "cookie", "Set-Cookie", "GCP_CREDS", "OPENAI_KEY", "x-api-key", "client_secret", "refreshToken"])
      expect(isSecretKey(name)).toBe(true);
  });

  it("hides URL credentials in a recorded exception, its event and the span status", () => {
    const error = new Error("connect failed for postgres://ann:hunter2@db.local/app");
    expect(() =>
      startSpan({ name: "fails" }, () => {
        throw error;
      }),
    ).toThrow(error);
    expect(traceText()).not.toContain("hunter2");
    expect(getLastActiveTrace()!.data.spans[0]!.status.description).toBe("Error: connect failed for postgres://ann:***@db.local/app");
  });

  it("hides every quoted URL's user name and password in a message, a token used as user name too", () => {
    expect(redactUrl("cannot fetch http://sk-abc123@127.0.0.1:9/v1, see https://u:p@w@proxy/?api_key=k")).toBe(
      "cannot fetch http://***@127.0.0.1:9/v1, see https://***@proxy/?api_key=***",
    );
    expect(redactUrl("http://me:p#ss?@host:5000")).toBe("http://***@host:5000");
  });

  it("hides a tracking-URI password holding # or ? in the error it causes", () => {
    for (const uri of ["http://ann:pa#ss@host:5000", "http://ann:pa?ss@host:5000", "sqlite://ann:pa#ss@host/db"]) {
      expect(redactUrl(uri)).not.toContain("pa");
      let message = "";
      try {
        setTrackingUri(uri);
      } catch (error) {
        message = (error as Error).message;
      } finally {
        setTrackingUri(undefined);
      }
      expect(message).not.toBe("");
      expect(message).not.toContain("ss@");
      expect(message).not.toMatch(/pa[#?]/);
    }
  });
});

describe("redactValues", () => {
  it("hides every occurrence of a known secret value, and leaves values too short to be one", () => {
    expect(redactValues("token abc123 echoed: abc123 (id)", ["abc123", "id"])).toBe("token *** echoed: *** (id)");
  });
});
