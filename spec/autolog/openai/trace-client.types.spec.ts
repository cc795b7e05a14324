// Compile-time checks, enforced by `npm run typecheck` (jest transpiles without type checks): the traced client keeps the
// client's own type, so calls, overloads and results type-check exactly as on the untraced client.
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Stream } from "openai/streaming";
import * as mlflow from "../../../lib/index";
import { type traceOpenAI } from "../../../lib/index";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

describe("mlflow.openai.trace typings", () => {
  it("returns the client's own type, with the overloads of create intact", () => {
    const client = mlflow.openai.trace(new OpenAI({ apiKey: "test", baseURL: "http://127.0.0.1:9/v1" }));
    assertType<Equal<typeof client, OpenAI>>();
    assertType<Equal<ReturnType<typeof traceOpenAI<OpenAI>>, OpenAI>>();
    const call = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
    assertType<Equal<Awaited<ReturnType<typeof call>>, ChatCompletion & { _request_id?: string | null }>>();
    const streamed = () => client.chat.completions.create({ model: "m", messages: [], stream: true });
    assertType<Equal<Awaited<ReturnType<typeof streamed>>, Stream<ChatCompletionChunk> & { _request_id?: string | null }>>();
    // @ts-expect-error `messages` is required, as on the untraced client.
    const wrong = () => client.chat.completions.create({ model: "m" });
    expect([call, streamed, wrong].every((f) => typeof f === "function")).toBe(true);
  });
});
