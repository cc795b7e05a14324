/**
 * The search corpus: 200 deterministic traces in `Trace.to_json()` shape with varied names,
 * states, tags (dotted keys, mixed case), metadata (session, user, tenant), span trees of several
 * types and statuses, durations and timestamps, plus the assessments to log on some of them.
 * Written straight into a local store's `traces/` folder (the files the SDK itself writes).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { traceFileName } from "../../lib/export/clients/local-store/location";
import { hexToBase64 } from "../../lib/tracing/ids";
import type { TraceJson } from "../../lib/tracing/trace";
import type { SpanJson } from "../../lib/tracing/wire-format";

export const CORPUS_SIZE = 200;
/** 2026-11-01T00:00:00Z: every trace starts a whole number of seconds after it. */
export const CORPUS_START_MS = Date.UTC(2026, 10, 1);

const NAMES = ["answer_question", "summarize", "Retrieve Docs", "chat_turn", "classify_intent"];
const ENVS = ["prod", "staging", "dev", undefined];
const TEAMS = ["search-A", "Search-B", "ranking"];
const USERS = ["alice", "bob", "Carol", "dave_99"];
const CHILD_TYPES = ["RETRIEVER", "LLM", "TOOL", "CHAT_MODEL", "PARSER"];

/** An assessment to log on a corpus trace (server REST body fields, snake_case). */
export interface CorpusAssessment {
  readonly traceId: string;
  readonly body: Record<string, unknown>;
}

/** Deterministic, distinct ids: `width` hex digits of sha256("<salt>:<n>"). */
function hex(n: number, width: number, salt: number): string {
  return createHash("sha256").update(`${salt}:${n}`).digest("hex").slice(0, width);
}

function span(
  traceHex: string,
  traceId: string,
  id: string,
  parent: string | null,
  name: string,
  type: string,
  startNs: bigint,
  endNs: bigint,
  status: string,
  io: { in: unknown; out: unknown },
): SpanJson {
  return {
    trace_id: hexToBase64(traceHex),
    span_id: hexToBase64(id),
    parent_span_id: parent === null ? "" : hexToBase64(parent),
    name,
    start_time_unix_nano: startNs.toString(),
    end_time_unix_nano: endNs.toString(),
    status: { code: `STATUS_CODE_${status}`, message: status === "ERROR" ? "failed" : "" },
    attributes: {
      "mlflow.traceRequestId": JSON.stringify(traceId),
      "mlflow.spanType": JSON.stringify(type),
      "mlflow.spanInputs": JSON.stringify(io.in),
      "mlflow.spanOutputs": JSON.stringify(io.out),
    },
    events: [],
  };
}

/** Trace `i` of the corpus. */
export function corpusTrace(i: number): TraceJson {
  const traceHex = hex(i, 32, 1);
  const traceId = `tr-${traceHex}`;
  const name = NAMES[i % NAMES.length] as string;
  const state = i % 7 === 3 ? "ERROR" : "OK";
  const startMs = CORPUS_START_MS + i * 1000 + (i % 3) * 17;
  const durationMs = 5 + ((i * 37) % 400) + (i % 11 === 0 ? 2500 : 0);
  const startNs = BigInt(startMs) * 1_000_000n;
  const endNs = startNs + BigInt(durationMs) * 1_000_000n;
  const rootId = hex(i, 16, 2);
  const question = `question ${i}`;
  const spans: SpanJson[] = [
    span(traceHex, traceId, rootId, null, name, i % 4 === 0 ? "AGENT" : "CHAIN", startNs, endNs, state, { in: { question }, out: `answer ${i}` }),
  ];
  const children = 1 + (i % 3);
  for (let c = 0; c < children; c++) {
    const type = CHILD_TYPES[(i + c) % CHILD_TYPES.length] as string;
    const childStatus = state === "ERROR" && c === children - 1 ? "ERROR" : c === 1 && i % 5 === 0 ? "UNSET" : "OK";
    const cs = startNs + BigInt(c + 1) * 1_000_000n;
    spans.push(
      span(traceHex, traceId, hex(i * 10 + c, 16, 3), rootId, `${type.toLowerCase()}_step_${c}`, type, cs, cs + 1_000_000n, childStatus, {
        in: { step: c },
        out: { ok: childStatus !== "ERROR" },
      }),
    );
  }
  const tags: Record<string, string> = { "mlflow.traceName": name, team: TEAMS[i % TEAMS.length] as string };
  const env = ENVS[i % ENVS.length];
  if (env !== undefined) tags["env"] = env;
  if (i % 10 === 0) tags["release.version"] = `1.${i % 3}.${i % 4}`;
  const metadata: Record<string, string> = { "mlflow.trace.user": USERS[i % USERS.length] as string, tenant: `t${i % 6}` };
  if (i % 9 !== 0) metadata["mlflow.trace.session"] = `session-${String(i % 25).padStart(2, "0")}`;
  return {
    info: {
      trace_id: traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } },
      request_time: new Date(startMs).toISOString(),
      execution_duration_ms: durationMs,
      state: state,
      request_preview: JSON.stringify({ question }),
      response_preview: JSON.stringify(`answer ${i}`),
      trace_metadata: metadata,
      tags,
    },
    data: { spans },
  };
}

/** Every trace of the corpus. */
export function corpus(size: number = CORPUS_SIZE): TraceJson[] {
  return Array.from({ length: size }, (_, i) => corpusTrace(i));
}

/** The feedback and expectations logged on every fifth trace (values: numbers, booleans, strings). */
export function corpusAssessments(traces: readonly TraceJson[]): CorpusAssessment[] {
  const out: CorpusAssessment[] = [];
  traces.forEach((t, i) => {
    if (i % 5 !== 0) return;
    const traceId = t.info.trace_id;
    const source = { source_type: i % 2 === 0 ? "HUMAN" : "LLM_JUDGE", source_id: i % 2 === 0 ? "reviewer" : "judge-v1" };
    out.push({ traceId, body: { assessment_name: "quality", trace_id: traceId, source, feedback: { value: Math.round(((i * 13) % 100) / 10) / 10 } } });
    if (i % 10 === 0) out.push({ traceId, body: { assessment_name: "helpful", trace_id: traceId, source, feedback: { value: i % 20 === 0 } } });
    // A dotted name, as MLflow's Python SDK logs it (`log_feedback(name="judge.score")`).
    if (i % 20 === 0) out.push({ traceId, body: { assessment_name: "judge.score", trace_id: traceId, source, feedback: { value: (i % 60) / 60 } } });
    if (i % 15 === 0)
      out.push({
        traceId,
        body: { assessment_name: "tone", trace_id: traceId, source, feedback: { value: i % 30 === 0 ? "friendly" : "Curt" }, rationale: "read it" },
      });
    if (i % 25 === 0)
      out.push({
        traceId,
        body: {
          assessment_name: "expected_answer",
          trace_id: traceId,
          source: { source_type: "HUMAN", source_id: "labeler" },
          expectation: { value: `answer ${i}` },
        },
      });
  });
  return out;
}

/** Writes traces as the local store's files (`<dir>/traces/<start ns>-<id>.json`). */
export function writeCorpus(dir: string, traces: readonly TraceJson[]): void {
  mkdirSync(join(dir, "traces"), { recursive: true });
  for (const t of traces) {
    const startNs = BigInt(String(t.data.spans[0]?.start_time_unix_nano ?? "0"));
    writeFileSync(join(dir, "traces", traceFileName(t.info.trace_id, startNs)), JSON.stringify(t));
  }
}
