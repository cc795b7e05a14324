/**
 * A loopback OTLP/HTTP collector for tests: records each request (gunzipped) and answers with
 * whatever the test queues, 200 with an empty body by default.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface Collector {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers for the next requests, in order. */
  answer(...answers: Answer[]): void;
  json(index?: number): OtlpJsonRequest;
  close(): Promise<void>;
}

/** The parts of an OTLP/JSON ExportTraceServiceRequest the tests read. */
export interface OtlpJsonRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKv[] };
    scopeSpans: Array<{ scope: { name: string }; spans: OtlpJsonSpan[] }>;
  }>;
}
export interface OtlpKv {
  key: string;
  value: Record<string, unknown>;
}
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKv[];
  events: Array<{ name: string; timeUnixNano: string; attributes: OtlpKv[] }>;
  status: { code: number; message?: string };
}

export async function startCollector(): Promise<Collector> {
  const requests: RecordedRequest[] = [];
  const queued: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const answer = queued.shift() ?? { status: 200 };
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (...answers) => void queued.push(...answers),
    json: (index = requests.length - 1) => JSON.parse((requests[index] as RecordedRequest).body.toString("utf8")) as OtlpJsonRequest,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Attributes as a plain map of their AnyValue objects. */
export function attributeMap(kvs: OtlpKv[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(kvs.map((kv) => [kv.key, kv.value]));
}
