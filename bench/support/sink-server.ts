/**
 * A loopback HTTP server that accepts every MLflow endpoint the exporters call, instantly:
 * StartTraceV3 echoes the trace_info with `mlflow.trace.spansLocation: TRACKING_STORE` (so no
 * artifact upload is asked for), `/v1/traces` and artifact PUTs answer 200, `/version` says 3.17.2.
 * It measures the clients, not a server. Also a "silent" server that accepts connections and never
 * answers, for memory-under-outage runs.
 *
 * Run as a child process (so its CPU does not count as the client's):
 *   node -r ts-node/register/transpile-only bench/support/sink-server.ts   → prints {"url": ...}
 * It exits when its stdin closes. `GET /__stats` returns request counts and its own CPU time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

interface SinkStats {
  startTrace: number;
  otlp: number;
  artifacts: number;
  other: number;
  cpuMs: number;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const EXPERIMENT = { experiment_id: "1", name: "bench", artifact_location: "mlflow-artifacts:/1", lifecycle_stage: "active", tags: [] };

async function handle(req: IncomingMessage, res: ServerResponse, stats: SinkStats): Promise<void> {
  const body = await readBody(req);
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (req.method === "POST" && path === "/api/3.0/mlflow/traces") {
    stats.startTrace += 1;
    const info = (JSON.parse(body.toString("utf8")) as { trace: { trace_info: { trace_id: string; tags?: Record<string, string> } } }).trace.trace_info;
    const tags = {
      ...info.tags,
      "mlflow.trace.spansLocation": "TRACKING_STORE",
      "mlflow.artifactLocation": `mlflow-artifacts:/1/traces/${info.trace_id}/artifacts`,
    };
    return json(res, 200, { trace: { trace_info: { ...info, tags } } });
  }
  if (req.method === "POST" && path === "/v1/traces") {
    stats.otlp += 1;
    res.writeHead(200, { "content-type": "application/json", "content-length": 2 });
    return void res.end("{}");
  }
  if (req.method === "PUT" && path.startsWith("/api/2.0/mlflow-artifacts/artifacts/")) {
    stats.artifacts += 1;
    return json(res, 200, {});
  }
  if (path === "/__stats") {
    const cpu = process.cpuUsage();
    return json(res, 200, { ...stats, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  stats.other += 1;
  if (path === "/version") {
    res.writeHead(200, { "content-type": "text/plain" });
    return void res.end("3.17.2");
  }
  if (path === "/health") return void res.end("OK");
  if (path.endsWith("/experiments/get-by-name") || path.endsWith("/experiments/get")) return json(res, 200, { experiment: EXPERIMENT });
  if (path.endsWith("/experiments/create")) return json(res, 200, { experiment_id: "1" });
  return json(res, 200, {});
}

/** Starts the sink on 127.0.0.1 (`port`, default 0: any free one) in this process. */
export function startSinkServer(port = 0): Promise<{ url: string; server: Server; stats: Readonly<SinkStats> }> {
  const stats: SinkStats = { startTrace: 0, otlp: 0, artifacts: 0, other: 0, cpuMs: 0 };
  const server = createServer((req, res) => {
    handle(req, res, stats).catch((err: unknown) => json(res, 500, { error_code: "INTERNAL_ERROR", message: String(err) }));
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${address.port}`, server, stats });
    });
  });
}

/** A server that accepts connections, reads everything and never answers. */
export function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const close = (): Promise<void> =>
        new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        });
      resolve({ url: `http://127.0.0.1:${port}`, close });
    });
  });
}

if (require.main === module) {
  void startSinkServer().then(({ url }) => {
    process.stdout.write(`${JSON.stringify({ url })}\n`);
    process.stdin.on("end", () => process.exit(0));
    process.stdin.resume();
  });
}
