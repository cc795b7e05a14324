/**
 * An app that already runs OpenTelemetry (Node SDK + HTTP instrumentation) and adds MLflow tracing
 * with the bridge: a "gateway" node:http service runs a Haystack pipeline whose ranker component
 * calls a second "ranker" service over HTTP, which traces its own work with startSpan. The result
 * is ONE trace across both systems and both services:
 *
 *   POST /ask (otel client) → POST /ask (otel server) → remote_rag (ours) → ranker (ours)
 *     → POST (otel client) → POST /rank (otel server) → rank (ours)
 *
 * Our spans go to MLflow's side (here an in-memory client) and, with dual export, to an OTLP
 * collector; the app's provider records only its own spans. Everything runs on 127.0.0.1.
 * Run: npx ts-node samples/otel-service.ts
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";

// 1. The app's own OpenTelemetry setup, before node:http is loaded so the instrumentation sees it.
const appSpans = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(appSpans)] });
provider.register();
// The loopback collector stands in for a separate process: its own server side is not traced.
registerInstrumentations({ instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === "/v1/traces" })] });

interface TreeNode {
  readonly source: "otel" | "mlflow";
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | undefined;
  readonly start: bigint;
}

function check(condition: boolean, message: string): void {
  console.log(`${condition ? "ok  " : "FAIL"} ${message}`);
  if (!condition) process.exitCode = 1;
}

async function main(): Promise<void> {
  const http = await import("node:http");
  const mlflow = await import("../lib/index");
  const { component, Document, InMemoryBM25Retriever, InMemoryDocumentStore, Pipeline } = await import("../lib/haystack/index");
  const { enableOtelBridge } = await import("../lib/otel/bridge");
  const { continueTrace } = await import("../lib/otel/propagation");
  const { FanOutClient, MemoryClient, OtlpClient } = await import("../lib/export/index");

  // 2. MLflow tracing joins the app's OpenTelemetry traces, and exports to MLflow's side and a collector.
  enableOtelBridge();
  mlflow.haystack.autolog();
  const mlflowSide = new MemoryClient();
  let collectorSpans = 0;
  const listen = (server: Server): Promise<string> =>
    new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const readBody = async (req: IncomingMessage): Promise<string> => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    return body;
  };
  const collector = http.createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    collectorSpans += body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
    res.end("{}");
  });
  const collectorUrl = await listen(collector);
  mlflow.setTraceClient(
    new FanOutClient([mlflowSide, new OtlpClient({ endpoint: `${collectorUrl}/v1/traces`, protocol: "http/json", serviceName: "gateway" })]),
  );

  // 3. The "ranker" service: continues the caller's trace (a no-op here, where OpenTelemetry already did).
  const ranker = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const { query, documents } = JSON.parse(await readBody(req)) as { query: string; documents: string[] };
    const ranked = await continueTrace(req.headers, () =>
      mlflow.startSpan({ name: "rank", spanType: mlflow.SpanType.RERANKER, inputs: { query, documents } }, async () =>
        [...documents].sort((a, b) => Number(b.includes(query)) - Number(a.includes(query))),
      ),
    );
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(ranked));
  });
  const rankerUrl = await listen(ranker);

  // 4. The "gateway" service: a pipeline whose ranker component calls the ranker service.
  const post = (url: string, payload: unknown): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => void readBody(res).then(resolve, reject));
      req.on("error", reject);
      req.end(JSON.stringify(payload));
    });

  @component({ inputs: { query: "str", documents: "Document[]" }, outputs: { documents: "str[]" }, spanType: "RERANKER" })
  class RemoteRanker {
    async run({ query, documents }: { query: string; documents: InstanceType<typeof Document>[] }) {
      const ranked = JSON.parse(await post(`${rankerUrl}/rank`, { query, documents: documents.map((d) => d.content ?? "") })) as string[];
      return { documents: ranked };
    }
  }
  const store = new InMemoryDocumentStore();
  store.writeDocuments([new Document({ content: "Jean lives in Paris." }), new Document({ content: "Mark lives in Berlin." })]);
  const pipe = new Pipeline({ metadata: { name: "remote_rag" } });
  pipe.addComponent("retriever", new InMemoryBM25Retriever({ documentStore: store }));
  pipe.addComponent("ranker", new RemoteRanker());
  pipe.connect("retriever.documents", "ranker.documents");
  const gateway = http.createServer(async (req, res) => {
    const { question } = JSON.parse(await readBody(req)) as { question: string };
    const out = await pipe.run({ retriever: { query: question }, ranker: { query: "Paris" } });
    res.end(JSON.stringify(out["ranker"]));
  });
  const gatewayUrl = await listen(gateway);

  // 5. A client request; OpenTelemetry starts the trace.
  const answer = await post(`${gatewayUrl}/ask`, { question: "Who lives in Paris?" });
  console.log(`answer: ${answer}\n`);
  await mlflow.flushTraces();
  await provider.forceFlush();

  // 6. One tree out of both systems' spans.
  const nodes: TreeNode[] = [
    ...appSpans.getFinishedSpans().map((s) => ({
      source: "otel" as const,
      name: s.name,
      traceId: s.spanContext().traceId,
      spanId: s.spanContext().spanId,
      parentId: s.parentSpanContext?.spanId,
      start: BigInt(s.startTime[0]) * 1_000_000_000n + BigInt(s.startTime[1]),
    })),
    ...mlflowSide.traces.flatMap((t) =>
      t.data.spans.map((s) => ({
        source: "mlflow" as const,
        name: s.name,
        traceId: t.info.traceId.slice(3),
        spanId: s.spanId,
        parentId: s.parentId ?? undefined,
        start: s.startTimeNs,
      })),
    ),
  ];
  // Printed as a tree by parent links: the two systems' clocks differ by microseconds, so start times alone do not order them.
  const byId = new Map(nodes.map((n) => [n.spanId, n]));
  const children = (id: string | undefined): TreeNode[] =>
    nodes
      .filter((n) => (id === undefined ? n.parentId === undefined || !byId.has(n.parentId) : n.parentId === id))
      .sort((a, b) => (a.start < b.start ? -1 : 1));
  const print = (n: TreeNode, depth: number): void => {
    console.log(`${"  ".repeat(depth)}${n.name}  [${n.source}] ${n.spanId}`);
    for (const child of children(n.spanId)) print(child, depth + 1);
  };
  for (const root of children(undefined)) print(root, 0);
  console.log("");

  check(new Set(nodes.map((n) => n.traceId)).size === 1, `one trace id across ${nodes.length} spans of both systems and both services`);
  check(nodes.filter((n) => n.parentId === undefined).length === 1, "exactly one root span (the client's POST)");
  const gatewayServer = nodes.find((n) => n.source === "otel" && n.parentId !== undefined && byId.get(n.parentId)?.parentId === undefined);
  check(
    nodes.find((n) => n.name === "remote_rag")?.parentId === gatewayServer?.spanId,
    "the pipeline span's parent is the gateway's OpenTelemetry server span",
  );
  const rankerClient = nodes.find((n) => n.source === "otel" && n.parentId === nodes.find((m) => m.name === "ranker")?.spanId);
  check(rankerClient !== undefined, "the HTTP client span inside the ranker component has the component span as parent");
  check(
    nodes.find((n) => n.name === "rank")?.parentId === nodes.find((n) => n.source === "otel" && n.parentId === rankerClient?.spanId)?.spanId,
    "the ranker service's rank span is a child of its OpenTelemetry server span",
  );
  check(
    appSpans.getFinishedSpans().every((s) => s.instrumentationScope.name.includes("http")),
    "the app's provider recorded only its HTTP spans (our spans are not recorded twice)",
  );
  check(appSpans.getFinishedSpans().length === 4, "no span for the OTLP export request itself (tracing suppressed during export)");
  check(
    collectorSpans === mlflowSide.traces.reduce((n, t) => n + t.data.spans.length, 0),
    `the collector received the same ${collectorSpans} spans as MLflow's side (dual export)`,
  );

  await mlflow.shutdownExport();
  await provider.shutdown();
  for (const server of [gateway, ranker, collector]) server.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
