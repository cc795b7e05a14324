/**
 * A small HTTP(S) transport on `node:http`/`node:https`: one keep-alive agent per client, TLS
 * verified unless asked otherwise, abortable requests, and errors that never carry credentials
 * (the endpoint is named by method and path only).
 */
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { isBackgroundRequest } from "./background-requests";
import { ExportError } from "../errors";

/** How to reach a server. `headers` may hold `Authorization`; it is sent, never logged. */
export interface HttpTransportOptions {
  readonly baseUrl: string;
  /** Called per request, so rotating credentials can be re-read. */
  readonly headers?: () => Readonly<Record<string, string>>;
  /** Skip TLS certificate verification (`MLFLOW_TRACKING_INSECURE_TLS=true`). */
  readonly insecureTls?: boolean;
  /** CA bundle file (`MLFLOW_TRACKING_SERVER_CERT_PATH`). */
  readonly caCertPath?: string;
  /** Keep sockets open between requests (default true). */
  readonly keepAlive?: boolean;
  /** Largest response body accepted, in bytes (default 64 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * A request whose connection stays silent this long (no byte sent or received) fails with a
   * retryable {@link ExportError}, ms; 0 or absent: no limit. A slow upload that keeps moving is not cut.
   */
  readonly requestTimeoutMs?: number;
  /** Who error hints say should be listening (default: the MLflow server at the tracking URI). */
  readonly serverName?: string;
}

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  /** A list value repeats the parameter (`?a=1&a=2`), as MLflow's GET endpoints expect for lists. */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Names a request in errors: method and path, no host, no query, no credentials. */
export function endpointName(method: string, path: string): string {
  return `${method} ${path}`;
}

/**
 * Sends requests to one server.
 *
 * @example
 * const t = new HttpTransport({ baseUrl: "http://127.0.0.1:5000" });
 * const res = await t.request({ method: "GET", path: "/version" });
 * await t.close();
 */
export class HttpTransport {
  readonly baseUrl: URL;
  private readonly agent: http.Agent;
  private readonly lib: typeof http | typeof https;
  private readonly headers: () => Readonly<Record<string, string>>;
  private readonly maxResponseBytes: number;
  private readonly requestTimeoutMs: number;
  private readonly serverName: string;

  constructor(options: HttpTransportOptions) {
    this.baseUrl = new URL(options.baseUrl);
    const secure = this.baseUrl.protocol === "https:";
    this.lib = secure ? https : http;
    const keepAlive = options.keepAlive ?? true;
    this.agent = secure
      ? new https.Agent({
          keepAlive,
          maxSockets: 16,
          rejectUnauthorized: options.insecureTls !== true,
          ...(options.caCertPath === undefined ? {} : { ca: readFileSync(options.caCertPath) }),
        })
      : new http.Agent({ keepAlive, maxSockets: 16 });
    this.headers = options.headers ?? (() => ({}));
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 0;
    this.serverName = options.serverName ?? "the MLflow server at the tracking URI";
  }

  /** Resolves with any HTTP answer (also 4xx/5xx); rejects with {@link ExportError} when none came. */
  request(req: HttpRequest): Promise<HttpResponse> {
    const endpoint = endpointName(req.method, req.path);
    const url = new URL(this.baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${req.path}`;
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (typeof value === "string") url.searchParams.set(key, value);
      else for (const item of value) url.searchParams.append(key, item);
    }
    const headers: Record<string, string> = { accept: "application/json", ...this.headers(), ...req.headers };
    if (req.body !== undefined) {
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(req.body));
    }

    return new Promise<HttpResponse>((resolve, reject) => {
      if (req.signal?.aborted === true) {
        reject(abortError(endpoint, req.signal));
        return;
      }
      const clientRequest = this.lib.request(url, { method: req.method, headers, agent: this.agent });
      if (isBackgroundRequest()) clientRequest.on("socket", (socket) => socket.unref());
      const onAbort = (): void => {
        clientRequest.destroy(abortError(endpoint, req.signal));
      };
      req.signal?.addEventListener("abort", onAbort, { once: true });
      if (this.requestTimeoutMs > 0) {
        const limit = this.requestTimeoutMs;
        clientRequest.setTimeout(limit, () => {
          clientRequest.destroy(
            new ExportError(`Request ${endpoint} got no answer within ${limit} ms (MLFLOW_HTTP_REQUEST_TIMEOUT)`, { endpoint, retryable: true }),
          );
        });
      }
      const done = (): void => req.signal?.removeEventListener("abort", onAbort);

      clientRequest.on("error", (err: Error) => {
        done();
        reject(err instanceof ExportError ? err : networkError(endpoint, err, this.serverName));
      });
      clientRequest.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes) {
            res.destroy(new ExportError(`Response of ${endpoint} exceeded ${this.maxResponseBytes} bytes`, { endpoint }));
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", (err: Error) => {
          done();
          reject(err instanceof ExportError ? err : networkError(endpoint, err, this.serverName));
        });
        res.on("end", () => {
          done();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      clientRequest.end(req.body);
    });
  }

  /** Closes idle and open sockets. */
  close(): void {
    this.agent.destroy();
  }
}

function abortError(endpoint: string, signal: AbortSignal | undefined): ExportError {
  const reason: unknown = signal?.reason;
  const why = reason instanceof Error && reason.name === "TimeoutError" ? "timed out" : "was aborted";
  return new ExportError(`Request ${endpoint} ${why}`, { endpoint, cause: reason });
}

function networkError(endpoint: string, err: Error, serverName: string): ExportError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === "ECONNREFUSED"
      ? ` (is ${serverName} running?)`
      : code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
        ? " (set MLFLOW_TRACKING_SERVER_CERT_PATH to the server's CA bundle, or MLFLOW_TRACKING_INSECURE_TLS=true to skip verification)"
        : "";
  return new ExportError(`Request ${endpoint} failed: ${code ?? err.message}${hint}`, { endpoint, cause: err });
}
