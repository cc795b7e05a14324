/**
 * `trace(client)`: the same `openai` client seen through a `Proxy` that opens a span around each
 * traced method (`chat.completions.create`/`parse`, `responses.create`/`parse`, `embeddings.create`,
 * `completions.create`). Nothing of the `openai` module is patched: other clients stay untouched.
 * Everything else reads through to the client itself, so types, `instanceof` and private fields work.
 */
import { describeValue } from "../../internal/describe-value";
import { openIntegrationSpan, runWithActiveSpan, SpanType } from "../../tracing/integration";
import { startAttributes, type CallKind } from "./call-attributes";
import { CallSpan, DEFAULT_ABANDON_AFTER_MS } from "./call-span";
import { providerFromBaseUrl } from "./provider";
import { shouldTraceCall, type ClientOrigin } from "./switch";
import { isOpenAIStream, traceStream } from "./traced-stream";

/** Options of {@link traceClient}. */
export interface TraceOpenAIOptions {
  /**
   * A response or stream nobody reads ends its span as abandoned after this many ms without a read
   * (default 600000, OpenAI's request timeout); collected by the garbage collector, it ends sooner.
   * A stream is checked once per period, so one read for a while and then left ends one to two
   * periods after its last read.
   */
  abandonAfterMs?: number;
}

const CHAT: CallKind = { spanName: "Completions", spanType: SpanType.CHAT_MODEL, chat: true };
const RESPONSES: CallKind = { spanName: "Responses", spanType: SpanType.CHAT_MODEL, chat: true };
const EMBEDDINGS: CallKind = { spanName: "Embeddings", spanType: SpanType.EMBEDDING, chat: false };
const LEGACY_COMPLETIONS: CallKind = { spanName: "Completions", spanType: SpanType.LLM, chat: true };

const TRACED: Readonly<Record<string, CallKind>> = {
  "chat.completions.create": CHAT,
  "chat.completions.parse": CHAT,
  "responses.create": RESPONSES,
  "responses.parse": RESPONSES,
  "embeddings.create": EMBEDDINGS,
  "completions.create": LEGACY_COMPLETIONS,
};
const ON_THE_WAY = new Set(["chat", "chat.completions", "responses", "embeddings", "completions"]);

interface Context {
  readonly client: object;
  readonly origin: ClientOrigin;
  readonly abandonAfterMs: number;
  readonly views: WeakMap<object, object>;
}

const TRACED_CLIENTS = new WeakSet<object>();

/** `promise._thenUnwrap` of the client's `APIPromise`, the hook its own helpers use to map results. */
interface APIPromiseLike<T> extends Promise<T> {
  _thenUnwrap<U>(transform: (data: T) => U): APIPromiseLike<U>;
  asResponse(): Promise<unknown>;
}

function isAPIPromise(value: unknown): value is APIPromiseLike<unknown> {
  return (
    value instanceof Promise &&
    typeof (value as Partial<APIPromiseLike<unknown>>)._thenUnwrap === "function" &&
    typeof (value as Partial<APIPromiseLike<unknown>>).asResponse === "function"
  );
}

/**
 * Whether someone asked for the body of `promise` (`await`, `then`, `withResponse()`): the client's
 * `APIPromise` parses it only then, keeping the parse in `parsedPromise`. A response already being
 * read needs no abandonment watch; if a client version keeps no such field, every response is watched.
 */
function isBeingRead(promise: APIPromiseLike<unknown>): boolean {
  return (promise as { parsedPromise?: unknown }).parsedPromise !== undefined;
}

function callTraced(ctx: Context, kind: CallKind, original: Function, target: object, args: unknown[]): unknown {
  if (!shouldTraceCall(ctx.origin)) return Reflect.apply(original, target, args);
  const body = args[0];
  const provider = providerFromBaseUrl((ctx.client as { baseURL?: unknown }).baseURL);
  const span = openIntegrationSpan({ name: kind.spanName, spanType: kind.spanType, inputs: body, attributes: startAttributes(kind, body, provider) });
  if (span === undefined) return Reflect.apply(original, target, args);
  const call = new CallSpan(span, kind, body, ctx.abandonAfterMs);
  let result: unknown;
  try {
    result = runWithActiveSpan(span, () => Reflect.apply(original, target, args));
  } catch (error) {
    call.fail(error);
    throw error;
  }
  const onData = (data: unknown): unknown => {
    if (isOpenAIStream(data)) return traceStream(data, call, ctx.client);
    call.succeed(data);
    return data;
  };
  if (isAPIPromise(result)) {
    const mapped = result._thenUnwrap(onData);
    result.asResponse().then(
      () => {
        if (!isBeingRead(mapped)) call.watch(mapped);
      },
      (error: unknown) => call.fail(error),
    );
    return mapped;
  }
  if (result instanceof Promise) {
    return result.then(onData, (error: unknown) => {
      call.fail(error);
      throw error;
    });
  }
  return onData(result);
}

function view<T extends object>(ctx: Context, target: T, path: string): T {
  let proxy = ctx.views.get(target) as T | undefined;
  if (proxy !== undefined) return proxy;
  // Per view: the same prototype method read on two objects must stay bound to each.
  const methods = new Map<string, { readonly original: Function; readonly method: Function }>();
  proxy = new Proxy(target, {
    get(object, prop) {
      const value: unknown = Reflect.get(object, prop, object);
      if (typeof prop !== "string") return value;
      const at = path === "" ? prop : `${path}.${prop}`;
      if (typeof value === "function") {
        const cached = methods.get(prop);
        if (cached !== undefined && cached.original === value) return cached.method;
        const original = value;
        const kind = TRACED[at];
        let method: Function;
        if (kind !== undefined) method = (...args: unknown[]) => callTraced(ctx, kind, original, object, args);
        else if (at === "withOptions") method = (...args: unknown[]) => wrap(Reflect.apply(original, object, args) as object, ctx.origin, ctx.abandonAfterMs);
        // Called on the client itself, not the proxy: the client's methods read `#private` fields.
        else method = original.bind(object) as Function;
        methods.set(prop, { original, method });
        return method;
      }
      return ON_THE_WAY.has(at) && typeof value === "object" && value !== null ? view(ctx, value, at) : value;
    },
    set(object, prop, value) {
      return Reflect.set(object, prop, value, object);
    },
  });
  ctx.views.set(target, proxy);
  return proxy;
}

function wrap<T extends object>(client: T, origin: ClientOrigin, abandonAfterMs: number): T {
  if (TRACED_CLIENTS.has(client)) return client;
  const traced = view({ client, origin, abandonAfterMs, views: new WeakMap() }, client, "");
  TRACED_CLIENTS.add(traced);
  return traced;
}

/** @internal The client of one of the SDK's OpenAI generators: traced only while `mlflow.openai.autolog()` is on. */
export function traceGeneratorClient<T extends object>(client: T): T {
  return wrap(client, "generator", DEFAULT_ABANDON_AFTER_MS);
}

/**
 * Returns `client` with every chat, Responses API and embeddings call traced: a `CHAT_MODEL` (or
 * `EMBEDDING`) span per call, nested under the active span, with the request as inputs, the response
 * as outputs, model, provider, token usage and cost. Streams keep the span open until they end.
 * The returned object has the client's type; the client passed in stays untraced.
 *
 * @example
 * const client = mlflow.openai.trace(new OpenAI());
 * await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
 */
export function traceClient<T extends object>(client: T, options: TraceOpenAIOptions = {}): T {
  if (typeof client !== "object" || client === null) {
    throw new TypeError(`mlflow.openai.trace(client): expected an OpenAI client (new OpenAI()), got ${describeValue(client)}`);
  }
  const abandonAfterMs = options.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
  if (typeof abandonAfterMs !== "number" || !Number.isFinite(abandonAfterMs) || abandonAfterMs <= 0 || abandonAfterMs > 2_147_483_647) {
    throw new RangeError(
      `mlflow.openai.trace(client, { abandonAfterMs }): expected a number of ms between 1 and 2147483647, got ${describeValue(abandonAfterMs)}`,
    );
  }
  const chat = (client as { chat?: { completions?: { create?: unknown } } }).chat;
  if (typeof chat?.completions?.create !== "function") {
    throw new TypeError(
      "mlflow.openai.trace(client): expected an OpenAI client with chat.completions.create (new OpenAI() from the `openai` package, v4 or later)",
    );
  }
  return wrap(client, "user", abandonAfterMs);
}
