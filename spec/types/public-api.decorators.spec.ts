// Type tests of the public API (expect-type): checked by the compiler, so a wrong typing fails
// `npm run typecheck` and this spec. Compiled twice by jest, with TC39 standard decorators (project
// "unit") and with experimentalDecorators (project "legacy-decorators"), like the other
// `*.decorators.spec.ts` files.
import { expectTypeOf } from "expect-type";
import * as mlflow from "../../lib/index";
import { startSpan, traced, type LiveSpan, type StartSpanOptions, type Trace, type TraceInfo } from "../../lib/index";
import type { TraceClient } from "../../lib/export/index";

class Service {
  @traced()
  add(a: number, b: number): number {
    return a + b;
  }

  @traced({ name: "lookup", spanType: mlflow.SpanType.RETRIEVER })
  async lookup(query: string): Promise<string[]> {
    return [query];
  }

  @traced
  *words(text: string): Generator<string> {
    yield* text.split(" ");
  }
}

describe("public API types", () => {
  it("startSpan returns what its function returns and hands it a LiveSpan", () => {
    expectTypeOf(startSpan({ name: "sync" }, () => 1)).toEqualTypeOf<number>();
    expectTypeOf(startSpan({ name: "async" }, async () => "x")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(startSpan).parameter(1).parameter(0).toEqualTypeOf<LiveSpan>();
    expectTypeOf<StartSpanOptions>().toHaveProperty("name").toEqualTypeOf<string>();
    // @ts-expect-error a span needs a name
    expectTypeOf(startSpan).toBeCallableWith({}, () => 1);
  });

  it("traced keeps a function's signature, sync, async and generator", () => {
    const sum = traced((a: number, b: number) => a + b);
    expectTypeOf(sum).toEqualTypeOf<(a: number, b: number) => number>();
    const fetchDocs = traced(async (query: string, topK?: number) => [query, String(topK)], { spanType: mlflow.SpanType.RETRIEVER });
    expectTypeOf(fetchDocs).toEqualTypeOf<(query: string, topK?: number) => Promise<string[]>>();
    const stream = traced(async function* (n: number) {
      yield n;
    });
    expectTypeOf(stream).returns.toEqualTypeOf<AsyncGenerator<number, void, unknown>>();
    // @ts-expect-error options are checked
    traced((x: number) => x, { spanType: 1 });
  });

  it("@traced and @traced() keep a method's signature in this decorator mode", () => {
    const service = new Service();
    expectTypeOf(service.add).toEqualTypeOf<(a: number, b: number) => number>();
    expectTypeOf(service.lookup).toEqualTypeOf<(query: string) => Promise<string[]>>();
    expectTypeOf(service.words).returns.toEqualTypeOf<Generator<string>>();
    expect(service.add(1, 2)).toBe(3);
  });

  it("@traced() on a getter does not compile (and throws naming it if forced), in either decorator mode", () => {
    const define = () => {
      class Config {
        // @ts-expect-error a getter is not a method
        @traced()
        get value(): number {
          return 1;
        }
      }
      return Config;
    };
    expect(define).toThrow(/@traced applies to methods/);
  });

  it("Trace, TraceInfo and LiveSpan are types only, and configureExport takes settings without hooks", () => {
    expectTypeOf<Trace["info"]>().toEqualTypeOf<TraceInfo>();
    expectTypeOf(mlflow.traceFromJSON).returns.toEqualTypeOf<Trace>();
    expectTypeOf<TraceInfo["tags"]>().toEqualTypeOf<Readonly<Record<string, string>>>();
    expect("LiveSpan" in mlflow || "Trace" in mlflow || "TraceInfo" in mlflow).toBe(false);
    expectTypeOf(mlflow.configureExport).toBeCallableWith({ maxQueueSize: 10, scheduledDelayMs: 5 });
    // @ts-expect-error the exporter's own hooks are not settings
    expectTypeOf(mlflow.configureExport).toBeCallableWith({ onDeliveryFailed: () => undefined });
    expectTypeOf(mlflow.setTraceClient).parameter(0).toEqualTypeOf<TraceClient | undefined>();
  });
});
