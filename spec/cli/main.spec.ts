import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type RunCliOptions } from "../../lib/cli/main";
import { LocalStore } from "../../lib/export/clients/local-store/store";
import type { Trace } from "../../lib/tracing/trace";
import type { TraceClient } from "../../lib/export/clients/trace-client";
import type { SyncDestination } from "../../lib/export/clients/local-store/destinations";
import { resetExportConfig, setExperiment } from "../../lib/export/destination/config";
import { startSpan, getLastActiveTrace, logExpectation, logFeedback, overrideFeedback, traceFromJSON } from "../../lib/index";
import { makeRealTrace, makeTrace } from "../export/clients/local-store/store.fixtures";
import { built } from "../support/built-sdk";

const ESC = "\u001b[";
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean; clientFor?: RunCliOptions["clientFor"] } = {}): Promise<Run> {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: options.env ?? {},
    cwd: dir,
    ...(options.clientFor ? { clientFor: options.clientFor } : {}),
  });
  return { code, out, err };
}

function failingTrace(): Trace {
  try {
    startSpan({ name: "pipeline", spanType: "CHAIN" }, () =>
      startSpan({ name: "llm", spanType: "LLM" }, () => {
        throw new TypeError("model not found");
      }),
    );
  } catch {
    // expected
  }
  return getLastActiveTrace() as Trace;
}

describe("mlflow-haystack traces list", () => {
  it("prints the newest traces first in aligned columns", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    const real = makeRealTrace("rag");
    await store.export([makeTrace({ requestTime: Date.now() - 60_000, name: "older" }), real]);
    const { code, out } = await cli(["traces", "list"]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TRACE ID\s+NAME\s+STATE\s+STARTED\s+DURATION\s+TOKENS\s+COST$/);
    expect(lines[1]).toContain(real.info.traceId);
    expect(lines[1]).toMatch(/rag\s+OK\s+.*\s42\s+\$0\.0012$/);
    expect(lines[2]).toContain("older");
    expect(lines[1]?.indexOf("OK")).toBe(lines[2]?.indexOf("OK"));
    expect(out).not.toContain(ESC);
  });

  it("says where it looked when the store is empty, and honours --store and --limit", async () => {
    expect((await cli(["traces", "list", "--store", "nowhere"])).out).toMatch(/No traces in .*nowhere/);
    const store = new LocalStore({ dir: join(dir, "s") });
    await store.export([1, 2, 3].map((i) => makeTrace({ requestTime: Date.now() - i * 1000, name: `t${i}` })));
    const { out } = await cli(["traces", "list", "--store", "s", "-n", "2"]);
    expect(out).toContain("t1");
    expect(out).not.toContain("t3");
    expect(out).toContain("2 of 3 traces");
  });

  it("reads the store named by MLFLOW_TRACKING_URI=mlflow-haystack-local:<dir>", async () => {
    await new LocalStore({ dir: join(dir, "custom") }).export([makeTrace({ name: "from-env" })]);
    const { out } = await cli(["traces", "list"], { env: { MLFLOW_TRACKING_URI: "mlflow-haystack-local:custom" } });
    expect(out).toContain("from-env");
  });

  it("says on stderr that it read the local store, not the server MLFLOW_TRACKING_URI names, and how to read the server", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    const trace = makeTrace({ name: "old-local" });
    await store.export([trace]);
    const env = { MLFLOW_TRACKING_URI: "http://user:pw@127.0.0.1:5000" };
    const note = `note: this is the local store ${store.dir}; MLFLOW_TRACKING_URI names a server, which this command reads only with --tracking-uri "$MLFLOW_TRACKING_URI".\n`;
    for (const argv of [
      ["traces", "list"],
      ["traces", "list", "--json"],
      ["traces", "show", "--last"],
      ["traces", "show", trace.info.traceId],
    ]) {
      const run = await cli(argv, { env });
      expect([argv, run.code, run.err]).toEqual([argv, 0, note]);
      expect(run.out).toContain("old-local");
    }
    expect((await cli(["traces", "list", "--store", "mlflow-haystack-traces"], { env })).err).toBe("");
    expect((await cli(["traces", "list"], { env: { MLFLOW_TRACKING_URI: "mlflow-haystack-local:mlflow-haystack-traces" } })).err).toBe("");
    expect((await cli(["traces", "list"])).err).toBe("");
  });

  it("refuses --experiment on the local store, which keeps every experiment's traces together", async () => {
    const run = await cli(["traces", "list", "--experiment", "nope"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("--experiment selects a tracking server's experiment; add --tracking-uri <uri>, or leave it out to list the local store");
  });

  it("prints JSON summaries with --json", async () => {
    const trace = makeRealTrace();
    await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([trace]);
    const parsed = JSON.parse((await cli(["traces", "list", "--json"])).out) as { traceId: string; tokenUsage: unknown }[];
    expect(parsed[0]).toMatchObject({ traceId: trace.info.traceId, tokenUsage: { totalTokens: 42 } });
  });

  it("names the experiment a trace was recorded with, in --json and in traces show", async () => {
    const trace = makeRealTrace();
    void setExperiment("haystack-tracing-demo");
    try {
      await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([trace]);
    } finally {
      resetExportConfig();
    }
    const [summary] = JSON.parse((await cli(["traces", "list", "--json"])).out) as { experiment: unknown }[];
    expect(summary?.experiment).toEqual({ name: "haystack-tracing-demo" });
    const shown = (await cli(["traces", "show", trace.info.traceId])).out.split("\n");
    expect(shown[1]).toMatch(/ · experiment "haystack-tracing-demo"$/);
  });
});

describe("mlflow-haystack traces list over a damaged store", () => {
  it("skips and reports a directory, a symlink loop, a dangling symlink, a huge file and a FIFO named like traces, and never hangs", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    await store.export([makeTrace({ name: "good" })]);
    const traces = join(store.dir, "traces");
    const name = (id: string): string => `${String(Date.now() * 1_000_000).padStart(19, "0")}-tr-${id}.json`;
    mkdirSync(join(traces, name("dir")));
    const loop = name("loop"); // one name: a second Date.now() can tick and make a dangling link instead
    symlinkSync(loop, join(traces, loop));
    const dangling = name("dangling");
    symlinkSync("no-such-trace.json", join(traces, dangling));
    const huge = join(traces, name("huge"));
    writeFileSync(huge, "");
    truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk used
    execFileSync("mkfifo", [join(traces, name("fifo"))]);

    const { code, out, err } = await cli(["traces", "list"]);

    expect(code).toBe(0);
    expect(out).toContain("good");
    expect(err).toContain(`skipped 5 entries in ${traces} that are not trace files:`);
    expect(err).toMatch(/tr-dir\.json \(a directory\)/);
    expect(err).toMatch(/tr-loop\.json \(unreadable: ELOOP\)/);
    expect(err).toMatch(/tr-dangling\.json \(a symlink to a missing file\)/);
    expect(err).toMatch(/tr-huge\.json \(600 MiB, over the 256 MiB limit\)/);
    expect(err).toMatch(/tr-fifo\.json \(a FIFO\)/);
  });
});

describe("mlflow-haystack traces show", () => {
  let store: LocalStore;
  beforeEach(() => {
    store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
  });

  it("draws the span tree with types, status, durations, tokens and cost", async () => {
    const trace = makeRealTrace();
    await store.export([trace]);
    const { code, out } = await cli(["traces", "show", trace.info.traceId]);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe(`Trace ${trace.info.traceId}  answer_question`);
    expect(lines[1]).toMatch(/^OK · started .* · 3 spans · 42 \(12 in \/ 30 out\) tokens · \$0\.0012$/);
    const tree = lines.slice(3, 6);
    expect(tree[0]).toMatch(/^answer_question\s+CHAIN\s+OK\s+\S+ m?s$/);
    expect(tree[1]).toMatch(/^├─ retrieve\s+RETRIEVER\s+OK\s+/);
    expect(tree[2]).toMatch(/^└─ chat\s+CHAT_MODEL\s+OK\s+.*42 \(12 in \/ 30 out\) tok\s+\$0\.0012$/);
    expect(new Set(tree.map((l) => l.search(/CHAIN|RETRIEVER|CHAT_MODEL/))).size).toBe(1);
    expect(out).not.toContain("What is MLflow?");
  });

  it("finds a trace by a unique id prefix, with or without tr- and a trailing …, and refuses an ambiguous one", async () => {
    const a = makeRealTrace();
    await store.export([a]);
    const hex = a.info.traceId.slice(3);
    for (const given of [a.info.traceId.slice(0, 12), `${hex.slice(0, 10)}…`, hex]) {
      const { code, out } = await cli(["traces", "show", given]);
      expect([given, code, out.split("\n")[0]]).toEqual([given, 0, `Trace ${a.info.traceId}  answer_question`]);
    }
    const b = traceFromJSON(
      JSON.stringify(a.toJSON())
        .split(hex)
        .join(`${hex.slice(0, 8)}${"f".repeat(24)}`),
    );
    await store.export([b]);
    const ambiguous = await cli(["traces", "show", `tr-${hex.slice(0, 8)}`]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain(`2 traces start with tr-${hex.slice(0, 8)}`);
  });

  it("lists the trace's feedback and expectations under the tree, an overridden feedback marked", async () => {
    // Stored by another process: not held in this one's memory, so the assessments go to its file.
    const trace = makeTrace();
    await store.export([trace]);
    const id = trace.info.traceId;
    const env = { MLFLOW_HAYSTACK_LOCAL_DIR: store.dir };
    const previous = process.env["MLFLOW_HAYSTACK_LOCAL_DIR"];
    process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = store.dir;
    try {
      const judged = await logFeedback({
        traceId: id,
        name: "relevance",
        value: 0.4,
        source: { sourceType: "LLM_JUDGE", sourceId: "gpt-4o" },
        rationale: "partly",
      });
      await overrideFeedback({ traceId: id, assessmentId: judged.assessmentId, value: 0.9, source: "HUMAN" });
      await logFeedback({ traceId: id, name: "faithfulness", error: "judge timed out" });
      await logExpectation({ traceId: id, name: "expected", value: { city: "Paris" } });
    } finally {
      process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = previous;
    }
    const { out } = await cli(["traces", "show", id], { env });
    const block = out.slice(out.indexOf("Assessments")).split("\n");
    expect(block.slice(0, 5)).toEqual([
      "Assessments",
      "  feedback    relevance = 0.4 (LLM_JUDGE gpt-4o) — partly [overridden]",
      "  feedback    relevance = 0.9 (HUMAN)",
      "  feedback    faithfulness = error ASSESSMENT_ERROR: judge timed out (CODE)",
      '  expectation expected = {"city":"Paris"} (HUMAN)',
    ]);
  });

  it("shows cached input tokens in the header and on the span", async () => {
    startSpan({ name: "cached_call", spanType: "CHAT_MODEL" }, (span) => {
      span.setAttribute("mlflow.chat.tokenUsage", { input_tokens: 20, output_tokens: 5, total_tokens: 25, cache_read_input_tokens: 8 });
    });
    const trace = getLastActiveTrace() as Trace;
    await store.export([trace]);
    const { out } = await cli(["traces", "show", trace.info.traceId]);
    expect(out.split("\n")[1]).toContain("· 25 (20 in, 8 cached / 5 out) tokens");
    expect(out).toMatch(/cached_call\s+CHAT_MODEL\s+OK\s+.*25 \(20 in, 8 cached \/ 5 out\) tok/);
  });

  it("adds inputs and outputs with --verbose and shows errors always", async () => {
    const ok = makeRealTrace();
    const failed = failingTrace();
    await store.export([ok, failed]);
    const verbose = (await cli(["traces", "show", ok.info.traceId, "--verbose"])).out;
    expect(verbose).toContain('in:  {"question":"What is MLflow?"}');
    expect(verbose).toContain('out: "An open source ML platform."');
    const err = (await cli(["traces", "show", "--last"])).out;
    expect(err).toContain(failed.info.traceId);
    expect(err).toMatch(/└─ llm\s+LLM\s+ERROR/);
    expect(err).toContain("error: TypeError: model not found");
  });

  it("prints MLflow's Trace.to_json() shape with --json", async () => {
    const trace = makeRealTrace();
    await store.export([trace]);
    const json = JSON.parse((await cli(["traces", "show", trace.info.traceId, "--json"])).out) as unknown;
    expect(json).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it("colours only on a TTY, and honours NO_COLOR and FORCE_COLOR", async () => {
    await store.export([makeRealTrace()]);
    expect((await cli(["traces", "show", "--last"], { tty: true })).out).toContain(`${ESC}32mOK`);
    expect((await cli(["traces", "show", "--last"], { tty: true, env: { NO_COLOR: "1" } })).out).not.toContain(ESC);
    expect((await cli(["traces", "show", "--last"], { tty: false, env: { FORCE_COLOR: "1" } })).out).toContain(ESC);
    expect((await cli(["traces", "list"], { tty: true, env: { FORCE_COLOR: "0" } })).out).not.toContain(ESC);
  });

  it("exits 3 with a one-line hint for an unknown id or an empty store", async () => {
    const missing = await cli(["traces", "show", "tr-0123"]);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(
      /^error: Trace tr-0123 is not in .* \(a shortened id needs at least 6 hex digits\); run `mlflow-haystack traces list` to see the ids\.\n$/,
    );
    const unknown = await cli(["traces", "show", "0123456789"]);
    expect(unknown.err).toMatch(/^error: Trace tr-0123456789 is not in [^(]*; run `mlflow-haystack traces list` to see the ids\.\n$/);
    expect((await cli(["traces", "show", "--last"])).code).toBe(3);
  });

  it("exits 2 for usage errors", async () => {
    expect((await cli(["traces", "show"])).code).toBe(2);
    expect((await cli(["traces", "show", "tr-1", "--last"])).code).toBe(2);
    const unknown = await cli(["traces", "lst"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'lst'");
    expect((await cli(["traces", "list", "--limit", "zero"])).code).toBe(2);
    const sqlite = await cli(["traces", "show", "tr-1", "--tracking-uri", "sqlite:///mlflow.db"]);
    expect(sqlite.code).toBe(2);
    expect(sqlite.err).toContain("mlflow server --backend-store-uri");
    expect(sqlite.err).toContain("and pass --tracking-uri http://127.0.0.1:5000");
    expect(sqlite.err).not.toContain("setTrackingUri");
    const syncTo = await cli(["traces", "sync", "--to", "postgresql://db/mlflow"]);
    expect(syncTo.code).toBe(2);
    expect(syncTo.err).toContain("and pass --to http://127.0.0.1:5000");
    expect(syncTo.err).not.toContain("setTrackingUri");
    const badFilter = await cli(["traces", "list", "--filter", "tag.env = 'a' OR tag.env = 'b'"]);
    expect(badFilter.code).toBe(2);
    expect(badFilter.err).toBe("error: invalid search: Invalid clause(s) in filter string: 'OR'\n");
  });

  it("--tracking-uri: exits 3 only for MLflow's RESOURCE_DOES_NOT_EXIST, and says a bare 404 is not an MLflow answer", async () => {
    const answers = { mlflow: 0, bare: 0 };
    const server = createServer((req, res) => {
      if (req.url?.startsWith("/mlflow/")) {
        answers.mlflow++;
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Trace not found" }));
      } else {
        answers.bare++;
        res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not Found</h1>");
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const missing = await cli(["traces", "show", "tr-0123", "--tracking-uri", `${base}/mlflow`]);
      expect(missing.code).toBe(3);
      expect(missing.err).toBe(`error: Trace tr-0123 does not exist on ${base}/mlflow.\n`);
      const wrongPath = await cli(["traces", "show", "tr-0123", "--tracking-uri", base]);
      expect(wrongPath.code).toBe(1);
      expect(wrongPath.err).toContain(`error: ${base} answered HTTP 404 without an MLflow error`);
      expect(wrongPath.err).toContain("is it an MLflow tracking server, with the right base path?");
      expect(answers.mlflow).toBeGreaterThan(0);
      expect(answers.bare).toBeGreaterThan(0);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it("names the --experiment flag, not the API's option, when the server has no such experiment", async () => {
    const server = createServer((_req, res) => {
      const body = { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Could not find experiment with name 'nope'" };
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = await cli(["traces", "list", "--tracking-uri", base, "--experiment", "nope"]);
      expect(run.code).toBe(2);
      expect(run.err).toBe(`error: No experiment named "nope" on ${base}; check --experiment (names are case-sensitive), or pass --experiment-id.\n`);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it("exits 0 for --help", async () => {
    const help = await cli(["traces", "show", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--verbose");
  });
});

describe("mlflow-haystack traces sync", () => {
  function fakeServer(): { client: TraceClient; received: string[] } {
    const received: string[] = [];
    const stored = new Map<string, Trace>();
    return {
      received,
      client: {
        export: async (traces) => {
          for (const t of traces) {
            received.push(t.info.traceId);
            stored.set(t.info.traceId, t);
          }
          return { failures: [] };
        },
        getTrace: async (id) => stored.get(id),
        shutdown: async () => undefined,
      },
    };
  }

  it("sends every local trace once and says so; a second run sends nothing", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    await store.export([makeTrace(), makeTrace(), makeTrace()]);
    const server = fakeServer();
    const first = await cli(["traces", "sync", "--to", "http://127.0.0.1:9", "--experiment", "demo"], { clientFor: () => server.client });
    expect(first.code).toBe(0);
    expect(first.out).toBe('Sent 3 trace(s) to http://127.0.0.1:9, experiment "demo"; 0 failed.\n');
    expect(first.err).toContain("sync: 3/3 traces tried, 3 sent, 0 failed");
    const second = await cli(["traces", "sync", "--to", "http://127.0.0.1:9", "--experiment", "demo"], { clientFor: () => server.client });
    expect(second.out).toMatch(/^Nothing to sync/);
    expect(server.received).toHaveLength(3);
  });

  it("without --experiment sends each trace to the experiment it was recorded with, the rest by the old rule, once", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    try {
      void setExperiment("haystack-tracing-demo");
      await store.export([makeTrace(), makeTrace()]);
      void setExperiment({ experimentId: "12" });
      await store.export([makeTrace()]);
    } finally {
      resetExportConfig();
    }
    await store.export([makeTrace()]);
    const byExperiment = new Map<string, ReturnType<typeof fakeServer>>();
    const clientFor = (d: SyncDestination): TraceClient => {
      const key = JSON.stringify(d.experiment);
      if (!byExperiment.has(key)) byExperiment.set(key, fakeServer());
      return (byExperiment.get(key) as ReturnType<typeof fakeServer>).client;
    };
    const first = await cli(["traces", "sync", "--to", "http://127.0.0.1:9"], { clientFor, env: { MLFLOW_EXPERIMENT_NAME: "from-env" } });
    expect(first.code).toBe(0);
    expect(first.out.split("\n").filter(Boolean).sort()).toEqual([
      'Sent 1 trace(s) to http://127.0.0.1:9, experiment "from-env"; 0 failed.',
      "Sent 1 trace(s) to http://127.0.0.1:9, experiment id 12; 0 failed.",
      'Sent 2 trace(s) to http://127.0.0.1:9, experiment "haystack-tracing-demo"; 0 failed.',
    ]);
    const received = (spec: object): number => byExperiment.get(JSON.stringify(spec))?.received.length ?? 0;
    expect([received({ name: "haystack-tracing-demo" }), received({ experimentId: "12" }), received({ name: "from-env" })]).toEqual([2, 1, 1]);
    const second = await cli(["traces", "sync", "--to", "http://127.0.0.1:9"], { clientFor, env: { MLFLOW_EXPERIMENT_NAME: "from-env" } });
    expect(second.out).toMatch(/^Nothing to sync/);
    // --experiment still sends every trace to one experiment.
    const all = await cli(["traces", "sync", "--to", "http://127.0.0.1:9", "--experiment", "demo"], { clientFor });
    expect(all.out).toBe('Sent 4 trace(s) to http://127.0.0.1:9, experiment "demo"; 0 failed.\n');
    expect(received({ name: "demo" })).toBe(4);
  });

  it("sends a trace recorded with MLFLOW_EXPERIMENT_NAME and _ID by name alone: the id belongs to another server", async () => {
    const saved = { ...process.env };
    try {
      process.env["MLFLOW_EXPERIMENT_NAME"] = "from-env";
      process.env["MLFLOW_EXPERIMENT_ID"] = "7";
      await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([makeTrace()]);
    } finally {
      process.env = saved;
    }
    const seen: SyncDestination[] = [];
    const server = fakeServer();
    const run = await cli(["traces", "sync", "--to", "http://127.0.0.1:9"], { clientFor: (d) => (seen.push(d), server.client) });
    expect(run.out).toBe('Sent 1 trace(s) to http://127.0.0.1:9, experiment "from-env"; 0 failed.\n');
    expect(seen.map((d) => d.experiment)).toEqual([{ name: "from-env" }]);
  });

  it("exits 1 with what to do when traces could not be sent", async () => {
    await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([makeTrace()]);
    const down: TraceClient = {
      export: async (traces) => ({
        failures: traces.map((t) => ({ traceId: t.info.traceId, error: new Error("connect ECONNREFUSED 127.0.0.1:9"), retryable: true })),
      }),
      shutdown: async () => undefined,
    };
    const run = await cli(["traces", "sync", "--to", "http://127.0.0.1:9"], { clientFor: () => down });
    expect(run.code).toBe(1);
    expect(run.err).toContain("ECONNREFUSED");
    expect(run.err).toMatch(/error: Some traces were not sent\. Run the same command again to retry/);
  });

  it("sends undelivered traces without --to to the configured server, naming the experiment; refuses a local store as --to", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    expect((await cli(["traces", "sync"])).out).toMatch(/^Nothing to sync: no undelivered traces/);
    await store.saveUndelivered([makeTrace()], { destination: { trackingUri: "http://127.0.0.1:9/", experiment: { name: "demo" } } });
    const server = fakeServer();
    const run = await cli(["traces", "sync"], { clientFor: () => server.client, env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:9" } });
    expect(run.out).toBe('Sent 1 trace(s) to http://127.0.0.1:9/, experiment "demo"; 0 failed.\n');
    expect((await cli(["traces", "sync", "--to", "mlflow-haystack-local:x"])).code).toBe(2);
  });

  it("never sends credentials to a destination read from the store: a differing one needs --to", async () => {
    const requests: string[] = [];
    const planted = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers.authorization ?? "(no credentials)"}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((ok) => planted.listen(0, "127.0.0.1", ok));
    const plantedUri = `http://127.0.0.1:${(planted.address() as AddressInfo).port}`;
    // The HTTP client reads credentials from the process environment, as in a real run.
    const saved = { ...process.env };
    Object.assign(process.env, { MLFLOW_TRACKING_USERNAME: "alice", MLFLOW_TRACKING_PASSWORD: "s3cret" });
    try {
      const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
      await store.saveUndelivered([makeTrace()], { destination: { trackingUri: plantedUri } });
      const run = await cli(["traces", "sync"], { env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:9" } });
      expect(requests).toHaveLength(0);
      expect(run.code).toBe(1);
      expect(run.out).toContain(
        `Kept 1 undelivered trace(s) for ${plantedUri}, each trace's own experiment: not sent, because MLFLOW_TRACKING_URI names another server`,
      );
      expect(run.out).toContain(`\`traces sync --to ${plantedUri}\``);
      expect(run.err).toContain("Some traces were not sent: they are for a server named above; send them with the --to command shown there.");
      const unset = await cli(["traces", "sync"], { env: {} });
      expect(unset.out).toContain("because no MLFLOW_TRACKING_URI is set");
      expect(requests).toHaveLength(0);
    } finally {
      process.env = saved;
      await new Promise((ok) => planted.close(ok));
    }
  });

  it("sends undeliverable traces elsewhere with --to and stops retrying them with --drop", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    const trace = makeTrace({ name: "stranded" });
    await store.saveUndelivered([trace], { destination: { trackingUri: "http://127.0.0.1:1" } });
    const other = fakeServer();
    const redirect = await cli(["traces", "sync", "--to", "http://127.0.0.1:9", "--drop", "http://127.0.0.1:1"], { clientFor: () => other.client });
    expect(redirect.code).toBe(0);
    expect(other.received).toEqual([trace.info.traceId]);
    expect(redirect.out).toContain("Dropped 1 undelivered trace(s) for http://127.0.0.1:1: no longer retried");
    expect((await cli(["traces", "sync"], { env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:1" } })).out).toMatch(/^Nothing to sync/);
    const listed = await cli(["traces", "list"]);
    expect(listed.out).toContain("stranded");
    expect(listed.out).not.toContain("(unsent)");
  });

  it("keeps undelivered traces when the --to half of a redirect failed", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    await store.saveUndelivered([makeTrace()], { destination: { trackingUri: "http://127.0.0.1:1" } });
    const down: TraceClient = {
      export: async (traces) => ({ failures: traces.map((t) => ({ traceId: t.info.traceId, error: new Error("connect ECONNREFUSED"), retryable: true })) }),
      shutdown: async () => undefined,
    };
    const run = await cli(["traces", "sync", "--to", "http://127.0.0.1:9", "--drop", "http://127.0.0.1:1"], { clientFor: () => down });
    expect(run.code).toBe(1);
    expect(run.err).toContain("the undelivered traces for http://127.0.0.1:1 were kept");
    expect((await cli(["traces", "list"])).out).toContain("(unsent)");
  });
});

describe("mlflow-haystack traces sync --to file:<dir>", () => {
  it("writes MLflow's file-store layout once per trace", async () => {
    const trace = makeRealTrace("to-file");
    await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([trace]);
    const first = await cli(["traces", "sync", "--to", "file:mlruns"]);
    expect(first.code).toBe(0);
    const traceDir = join(dir, "mlruns", "0", "traces", trace.info.traceId);
    expect(readFileSync(join(traceDir, "tags", "mlflow.traceName"), "utf8")).toBe("to-file");
    expect(existsSync(join(traceDir, "artifacts", "traces.json"))).toBe(true);
    expect(readFileSync(join(dir, "mlruns", "0", "meta.yaml"), "utf8")).toContain('name: "Default"');
    expect((await cli(["traces", "sync", "--to", "file:mlruns"])).out).toMatch(/^Nothing to sync/);
  });
});

describe("mlflow-haystack traces delete", () => {
  it("removes the named traces with their sync bookkeeping, and exits 3 naming the ids it did not find", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    const [a, b, kept] = [makeTrace({ name: "a" }), makeTrace({ name: "b" }), makeTrace({ name: "kept" })] as [Trace, Trace, Trace];
    await store.export([a, kept]);
    await store.saveUndelivered([b], { destination: { trackingUri: "http://127.0.0.1:9" } });

    const first = await cli(["traces", "delete", a.info.traceId, b.info.traceId]);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain("Deleted 2 trace(s)");
    const listed = JSON.parse((await cli(["traces", "list", "--json"])).out) as { name: string }[];
    expect(listed.map((s) => s.name)).toEqual(["kept"]);
    expect((await cli(["traces", "sync"], { env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:9" } })).out).toContain("Nothing to sync");

    const again = await cli(["traces", "delete", a.info.traceId]);
    expect(again.code).toBe(3);
    expect(again.err).toContain(`Not in ${store.dir}: ${a.info.traceId}`);
  });

  it("takes a unique id prefix as show does (the README's abbreviated ids), and deletes nothing when a prefix is ambiguous", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces") });
    const [a, b, c] = [makeTrace({ name: "a" }), makeTrace({ name: "b" }), makeTrace({ name: "c" })] as [Trace, Trace, Trace];
    await store.export([a, b, c]);
    const hex = (t: Trace): string => t.info.traceId.slice(3);

    const deleted = await cli(["traces", "delete", `${a.info.traceId.slice(0, 10)}…`, hex(b).slice(0, 8)]);
    expect(deleted).toMatchObject({ code: 0, err: "" });
    expect(deleted.out).toContain("Deleted 2 trace(s)");
    const listed = JSON.parse((await cli(["traces", "list", "--json"])).out) as { name: string }[];
    expect(listed.map((s) => s.name)).toEqual(["c"]);

    const twin = traceFromJSON(
      JSON.stringify(c.toJSON())
        .split(hex(c))
        .join(`${hex(c).slice(0, 8)}${"f".repeat(24)}`),
    );
    await store.export([twin]);
    const ambiguous = await cli(["traces", "delete", hex(c).slice(0, 8)]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain(`2 traces start with tr-${hex(c).slice(0, 8)}`);
    expect((await cli(["traces", "delete", "tr-abc"])).err).toContain("a shortened id needs at least 6 hex digits");
    expect((JSON.parse((await cli(["traces", "list", "--json"])).out) as unknown[]).length).toBe(2);
  });
});

describe("mlflow-haystack traces prune", () => {
  it("applies the retention limits now, from its options or the environment", async () => {
    const store = new LocalStore({ dir: join(dir, "mlflow-haystack-traces"), maxTraces: 100 });
    const now = Date.now();
    await store.export([
      makeTrace({ requestTime: now - 3 * 86_400_000, name: "old" }),
      ...[1, 2, 3].map((i) => makeTrace({ requestTime: now - i * 1000, name: `t${i}` })),
    ]);

    const byAge = await cli(["traces", "prune", "--max-age-days", "2"]);
    expect(byAge).toMatchObject({ code: 0, out: `Removed 1 trace(s) from ${store.dir}; 3 kept.\n` });
    const byEnv = await cli(["traces", "prune"], { env: { MLFLOW_HAYSTACK_LOCAL_MAX_TRACES: "2" } });
    expect(byEnv.out).toBe(`Removed 1 trace(s) from ${store.dir}; 2 kept.\n`);
    const listed = JSON.parse((await cli(["traces", "list", "--json"])).out) as { name: string }[];
    expect(listed.map((s) => s.name)).toEqual(["t1", "t2"]);
    expect((await cli(["traces", "prune", "--max-traces", "0"])).code).toBe(2);
  });
});

describe("the mlflow-haystack executable", () => {
  it("runs as a program and exits with the documented code", async () => {
    await new LocalStore({ dir: join(dir, "mlflow-haystack-traces") }).export([makeTrace({ name: "spawned" })]);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    const main = built("cli/main");
    delete env["MLFLOW_HAYSTACK_LOCAL_DIR"];
    delete env["MLFLOW_TRACKING_URI"];
    const run = (args: string[]): Promise<{ code: number; out: string; err: string }> =>
      new Promise((ok) => {
        execFile(process.execPath, [main, ...args], { cwd: dir, env }, (error, stdout, stderr) =>
          ok({ code: error === null ? 0 : Number(error.code), out: stdout, err: stderr }),
        );
      });
    const [list, missing] = await Promise.all([run(["traces", "list"]), run(["traces", "show", "tr-missing"])]);
    expect(list.code).toBe(0);
    expect(list.out).toContain("spawned");
    expect(missing.code).toBe(3);
    expect(missing.err).toContain("error: Trace tr-missing is not in");
  });
});
