/**
 * Search against a loopback stub server: the V3 request body, page tokens passed through, the V2
 * fallback when the V3 endpoint answers ENDPOINT_NOT_FOUND, and server refusals surfacing as
 * InvalidFilterError with the server's own message. (The real server: spec/integration/search-parity.spec.ts.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InvalidFilterError } from "../../lib/search/errors";
import { iterateTraces, searchTraces } from "../../lib/search/search-traces";

interface Seen {
  method: string;
  url: string;
  body: string;
}

let server: Server;
let uri: string;
let seen: Seen[];
let handler: (req: Seen, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const infoV3 = (id: string): Record<string, unknown> => ({
  trace_id: id,
  trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "7" } },
  request_time: "2026-11-01T00:00:01.000Z",
  execution_duration: "0.250s",
  state: "OK",
  trace_metadata: { "mlflow.trace.session": "s1" },
  tags: { "mlflow.traceName": "chat" },
});

beforeEach(async () => {
  seen = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const s = { method: req.method ?? "", url: req.url ?? "", body };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

describe("searchTraces on a server", () => {
  it("posts the V3 search and follows page tokens", async () => {
    handler = (req, res) => {
      const body = JSON.parse(req.body) as { page_token?: string };
      if (body.page_token === undefined) json(res, 200, { traces: [infoV3("tr-a"), infoV3("tr-b")], next_page_token: "T2" });
      else json(res, 200, { traces: [infoV3("tr-c")] });
    };
    const pages: string[][] = [];
    for await (const page of iterateTraces({
      trackingUri: uri,
      experimentIds: ["7"],
      filter: "tag.env = 'prod'",
      orderBy: ["timestamp_ms ASC"],
      maxResults: 2,
      includeSpans: false,
    })) {
      pages.push(page.map((t) => t.info.traceId));
    }
    expect(pages).toEqual([["tr-a", "tr-b"], ["tr-c"]]);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ["POST", "/api/3.0/mlflow/traces/search"],
      ["POST", "/api/3.0/mlflow/traces/search"],
    ]);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "7" } }],
      filter: "tag.env = 'prod'",
      max_results: 2,
      order_by: ["timestamp_ms ASC"],
    });
    expect(JSON.parse(seen[1]?.body ?? "")).toMatchObject({ page_token: "T2" });
  });

  it("gives a page of more than the server's 500 per request by asking in turn, as Python's search_traces does", async () => {
    const total = 1300;
    handler = (req, res) => {
      const body = JSON.parse(req.body) as { max_results: number; page_token?: string };
      if (body.max_results > 500) return json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Invalid value ${body.max_results}` });
      const offset = body.page_token === undefined ? 0 : Number(body.page_token);
      const end = Math.min(total, offset + body.max_results);
      const traces = Array.from({ length: end - offset }, (_, i) => infoV3(`tr-${offset + i}`));
      json(res, 200, end < total ? { traces, next_page_token: String(end) } : { traces });
    };
    const page = await searchTraces({ trackingUri: uri, experimentIds: ["7"], maxResults: 1200, includeSpans: false });
    expect(page.traces.map((t) => t.info.traceId)).toEqual(Array.from({ length: 1200 }, (_, i) => `tr-${i}`));
    expect(page.nextPageToken).toBe("1200");
    expect(seen.map((s) => (JSON.parse(s.body) as { max_results: number }).max_results)).toEqual([500, 500, 200]);
    const last = await searchTraces({ trackingUri: uri, experimentIds: ["7"], maxResults: 1200, pageToken: page.nextPageToken!, includeSpans: false });
    expect(last.traces.map((t) => t.info.traceId)).toEqual(Array.from({ length: 100 }, (_, i) => `tr-${1200 + i}`));
    expect(last.nextPageToken).toBeUndefined();
  });

  it("asks for the next page only when the loop does", async () => {
    handler = (_req, res) => json(res, 200, { traces: [infoV3("tr-a")], next_page_token: "more" });
    const pages = iterateTraces({ trackingUri: uri, experimentIds: ["7"], maxResults: 1, includeSpans: false });
    await pages.next();
    expect(seen).toHaveLength(1);
    await pages.next();
    expect(seen).toHaveLength(2);
    await pages.return(undefined);
  });

  it("falls back to the V2 search on ENDPOINT_NOT_FOUND and reads V2 trace infos", async () => {
    handler = (req, res) => {
      if (req.url.startsWith("/api/3.0/")) return json(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No such endpoint" });
      json(res, 200, {
        traces: [
          {
            request_id: "tr-v2",
            experiment_id: "7",
            timestamp_ms: 1793491201000,
            execution_time_ms: 250,
            status: "ERROR",
            request_metadata: [{ key: "mlflow.trace.user", value: "alice" }],
            tags: [{ key: "mlflow.traceName", value: "chat" }],
          },
        ],
      });
    };
    const { traces, nextPageToken } = await searchTraces({
      trackingUri: uri,
      experimentIds: ["7", "8"],
      filter: "trace.status = 'ERROR'",
      orderBy: ["name", "timestamp_ms DESC"],
      includeSpans: false,
    });
    expect(nextPageToken).toBeUndefined();
    const info = traces[0]?.info;
    expect([info?.traceId, info?.state, info?.requestTime, info?.executionDuration, info?.experimentId]).toEqual(["tr-v2", "ERROR", 1793491201000, 250, "7"]);
    expect(info?.metadata).toEqual({ "mlflow.trace.user": "alice" });
    expect(info?.tags).toEqual({ "mlflow.traceName": "chat" });
    const v2 = new URL(seen[1]?.url ?? "", uri);
    expect(v2.pathname).toBe("/api/2.0/mlflow/traces");
    expect(v2.searchParams.getAll("experiment_ids")).toEqual(["7", "8"]);
    expect(v2.searchParams.getAll("order_by")).toEqual(["name", "timestamp_ms DESC"]);
    expect(v2.searchParams.get("filter")).toBe("trace.status = 'ERROR'");
  });

  it("reads each trace's spans when includeSpans is on (the default)", async () => {
    handler = (req, res) => {
      if (req.url.startsWith("/api/3.0/")) return json(res, 200, { traces: [infoV3("tr-a")] });
      json(res, 200, {
        spans: [
          {
            trace_id: "AAAAAAAAAAAAAAAAAAAAAA==",
            span_id: "AAAAAAAAAAE=",
            parent_span_id: "",
            name: "chat",
            start_time_unix_nano: 1793491201000000000,
            end_time_unix_nano: 1793491201250000000,
            status: { code: "STATUS_CODE_OK", message: "" },
            attributes: { "mlflow.traceRequestId": '"tr-a"', "mlflow.spanType": '"CHAIN"' },
            events: [],
          },
        ],
      });
    };
    const { traces } = await searchTraces({ trackingUri: uri, experimentIds: ["7"] });
    expect(traces[0]?.data.spans.map((s) => [s.name, s.spanType])).toEqual([["chat", "CHAIN"]]);
    expect(seen[1]?.url).toBe("/ajax-api/2.0/mlflow/get-trace-artifact?request_id=tr-a");
  });

  it("turns the server's INVALID_PARAMETER_VALUE into InvalidFilterError with the server's full message", async () => {
    const long = `Invalid attribute key 'nope' specified. Valid keys are '{${"'x', ".repeat(80)}'y'}'`;
    handler = (_req, res) => json(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: long });
    const error = await searchTraces({ trackingUri: uri, experimentIds: ["7"], filter: "trace.nope = 'x'" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidFilterError);
    expect((error as Error).message).toBe(long);
  });
});
