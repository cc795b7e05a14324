/**
 * Loopback HTTP helpers for export tests:
 * - `startScriptedServer(handler)`: answers each request with what `handler` returns and records it;
 * - `startFaultProxy(target, rule)`: forwards to a real server unless the rule injects a fault for
 *   the request: a fixed answer (status, headers, body, delay), a dropped connection, or a forward
 *   that misbehaves (answer held back, connection reset part-way through the request or the answer).
 *   The proxy can also go down (its port refuses connections) and come back up on the same port.
 * Both listen on 127.0.0.1 and close every socket in `close()`.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** A request the server saw. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** `Date.now()` when the whole request had arrived. */
  readonly receivedAt: number;
}

/** An answer, or a way to fail. */
export type ScriptedReply =
  { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string>; readonly delayMs?: number } | { readonly drop: true };

/** Forward the request to the real server, but misbehave on the way. */
export interface ForwardFault {
  readonly forward: {
    /** Hold the server's answer back this long (the server has already done the work). */
    readonly delayResponseMs?: number;
    /** Send only this many bytes of the request body on, then reset both connections. */
    readonly resetAfterRequestBytes?: number;
    /** Pass on the status, headers and this many bytes of the server's body, then reset the connection. */
    readonly resetAfterResponseBytes?: number;
  };
}

/** What a fault rule may return for a request. */
export type ProxyFault = ScriptedReply | ForwardFault;

/** Decides, per request, whether to inject a fault; `undefined` forwards it. */
export type FaultRule = (req: RecordedRequest) => ProxyFault | undefined;

/** How a request ended at the proxy: answered in full, reset by the proxy, or left by the client first. */
export interface ProxyEvent {
  readonly at: number;
  readonly request: RecordedRequest;
  readonly what: "answered" | "reset" | "client-gone";
}

export interface LoopbackServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A fault proxy in front of a real server. */
export interface FaultProxy extends LoopbackServer {
  readonly events: ProxyEvent[];
  /** Stops listening and drops open connections: clients get ECONNREFUSED until {@link up}. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

function trackSockets(server: Server, sockets: Set<Socket>): void {
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
}

async function listenOn(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

function stopListening(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function record(req: IncomingMessage): Promise<{ recorded: RecordedRequest; raw: Buffer }> {
  const raw = await readBody(req);
  const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: raw.toString("utf8"), receivedAt: Date.now() };
  return { recorded, raw };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

async function reply(res: ServerResponse, answer: ScriptedReply): Promise<void> {
  if ("drop" in answer) {
    res.socket?.destroy();
    return;
  }
  if (answer.delayMs !== undefined) await sleep(answer.delayMs);
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
      const { recorded } = await record(req);
      requests.push(recorded);
      await reply(res, handler(recorded));
    })();
  });
  trackSockets(server, sockets);
  const port = await listenOn(server, 0);
  return { url: `http://127.0.0.1:${port}`, requests, close: () => stopListening(server, sockets) };
}

interface Upstream {
  readonly url: URL;
  readonly agent: Agent;
}

interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Sends the request on; with `cutAfter`, only that many body bytes, then resets the upstream connection. */
function sendUpstream(up: Upstream, req: IncomingMessage, recorded: RecordedRequest, raw: Buffer, cutAfter?: number): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const forward = httpRequest(
      {
        host: up.url.hostname,
        port: up.url.port,
        method: recorded.method,
        path: recorded.path,
        headers: { ...req.headers, host: up.url.host },
        agent: up.agent,
      },
      (answer) => {
        readBody(answer).then((body) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body }), reject);
      },
    );
    forward.on("error", reject);
    if (cutAfter === undefined) {
      forward.end(raw);
      return;
    }
    forward.write(raw.subarray(0, cutAfter), () => {
      forward.socket?.resetAndDestroy();
      forward.destroy();
      reject(new Error("request cut by the proxy"));
    });
  });
}

/**
 * @example
 * const proxy = await startFaultProxy(serverUrl, (req) => (req.path.startsWith("/api/3.0") ? { status: 503 } : undefined));
 * await proxy.down(); // connections refused
 * await proxy.up();   // same URL works again
 * await proxy.close();
 */
export async function startFaultProxy(target: string, rule: FaultRule = () => undefined, options: { readonly startDown?: boolean } = {}): Promise<FaultProxy> {
  const requests: RecordedRequest[] = [];
  const events: ProxyEvent[] = [];
  const sockets = new Set<Socket>();
  const upstream: Upstream = { url: new URL(target), agent: new Agent({ keepAlive: false }) };
  const server = createServer((req, res) => {
    void (async () => {
      const { recorded, raw } = await record(req);
      requests.push(recorded);
      let resetByProxy = false;
      const reset = (): void => {
        resetByProxy = true;
        events.push({ at: Date.now(), request: recorded, what: "reset" });
        res.socket?.resetAndDestroy();
      };
      res.on("close", () => {
        if (res.writableFinished) events.push({ at: Date.now(), request: recorded, what: "answered" });
        else if (!resetByProxy) events.push({ at: Date.now(), request: recorded, what: "client-gone" });
      });
      const fault = rule(recorded);
      if (fault !== undefined && !("forward" in fault)) {
        await reply(res, fault);
        return;
      }
      const how = fault?.forward ?? {};
      let answer: UpstreamAnswer;
      try {
        answer = await sendUpstream(upstream, req, recorded, raw, how.resetAfterRequestBytes);
      } catch {
        if (how.resetAfterRequestBytes !== undefined) reset();
        else if (!res.destroyed) res.writeHead(502).end();
        return;
      }
      if (how.delayResponseMs !== undefined) await sleep(how.delayResponseMs);
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers);
      if (how.resetAfterResponseBytes === undefined) res.end(answer.body);
      else res.write(answer.body.subarray(0, how.resetAfterResponseBytes), reset);
    })();
  });
  trackSockets(server, sockets);
  let port = await listenOn(server, 0);
  if (options.startDown === true) await stopListening(server, sockets);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events,
    down: () => stopListening(server, sockets),
    up: async () => {
      if (!server.listening) port = await listenOn(server, port);
    },
    close: async () => {
      await stopListening(server, sockets);
      upstream.agent.destroy();
    },
  };
}
