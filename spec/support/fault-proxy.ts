/**
 * Loopback HTTP helpers for export tests:
 * - `startScriptedServer(handler)`: answers each request with what `handler` returns and records it;
 * - `startFaultProxy(target, faults)`: forwards to a real server unless a fault matches the request
 *   (fixed status/body/headers, a delay, or a dropped connection).
 * Both listen on 127.0.0.1 port 0 and close every socket in `close()`.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** A request the server saw. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** An answer, or a way to fail. */
export type ScriptedReply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string>; readonly delayMs?: number }
  | { readonly drop: true };

export interface LoopbackServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<string> {
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function reply(res: ServerResponse, answer: ScriptedReply): Promise<void> {
  if ("drop" in answer) {
    res.socket?.destroy();
    return;
  }
  if (answer.delayMs !== undefined) await new Promise((r) => setTimeout(r, answer.delayMs).unref());
  if (res.destroyed) return;
  const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
  res.end(text);
}

/**
 * @example
 * const server = await startScriptedServer((req) => ({ status: 200, body: { ok: true } }));
 * await server.close();
 */
export async function startScriptedServer(handler: (req: RecordedRequest) => ScriptedReply): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: await readBody(req) };
      requests.push(recorded);
      await reply(res, handler(recorded));
    })();
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

/** Decides, per request, whether to inject a fault; `undefined` forwards it. */
export type FaultRule = (req: RecordedRequest) => ScriptedReply | undefined;

/**
 * @example
 * const proxy = await startFaultProxy(serverUrl, (req) => (req.path.startsWith("/api/3.0") ? { status: 503 } : undefined));
 */
export async function startFaultProxy(target: string, rule: FaultRule): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    void (async () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: await readBody(req) };
      requests.push(recorded);
      const fault = rule(recorded);
      if (fault !== undefined) {
        await reply(res, fault);
        return;
      }
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: recorded.method, path: recorded.path, headers: { ...req.headers, host: upstream.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      forward.end(recorded.body);
    })();
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}
