/**
 * What the MLflow REST client needs to know about a server's OTLP ingestion (`/v1/traces`): which
 * answers mean the server cannot ingest OTLP at all (as opposed to refusing one batch), the
 * spans-only switch, and what a trace loses when the server builds its record from the spans.
 */
import { ENV_FLAG_SPELLINGS, envFlag } from "../../internal/env-flag";
import { reportOnce } from "../../internal/diagnostics";
import type { Trace } from "../../tracing/trace";
import { MlflowApiError } from "../errors";
import { estimateTraceBytes } from "./trace-size";

/**
 * Whether an error from `/v1/traces` means the server has no OTLP/JSON ingestion (no route, a
 * file-store backend, an older server), rather than a refusal of this one request: an MLflow
 * error body (a deleted experiment, say) or a malformed batch says nothing about the next one.
 */
export function meansOtlpUnsupported(err: unknown): boolean {
  if (!(err instanceof MlflowApiError)) return false;
  switch (err.status) {
    case 405:
    case 415:
    case 501:
      return true;
    case 404:
      return err.code === "HTTP_404";
    case 400:
      return /content-type/i.test(err.serverMessage);
    default:
      return false;
  }
}

/** `MLFLOW_HAYSTACK_SPANS_ONLY`: a boolean switch (see `envFlag`); anything else is reported once and read as false. */
export function spansOnlyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = envFlag("MLFLOW_HAYSTACK_SPANS_ONLY", env);
  if (flag !== "invalid") return flag === true;
  const raw = env["MLFLOW_HAYSTACK_SPANS_ONLY"]?.trim().toLowerCase() ?? "";
  reportOnce("config.spans-only", "warn", `MLFLOW_HAYSTACK_SPANS_ONLY must be ${ENV_FLAG_SPELLINGS}, got "${raw}"; sending full trace records`);
  return false;
}

/** What of `trace` a record built from its spans cannot hold, if anything: the first such field. */
function firstDroppedField(trace: Trace): string | undefined {
  const info = trace.info;
  const own = Object.keys(info.metadataSoFar).find((key) => !key.startsWith("mlflow."));
  if (own !== undefined) return `trace metadata such as "${own}"`;
  if (info.clientRequestId !== undefined) return "the client request id";
  if (info.hasGivenPreviews) return "request/response previews set with updateCurrentTrace";
  const rootFailed = trace.rootSpan?.status.code === "ERROR";
  if ((info.state === "ERROR") !== rootFailed) return "a trace state that differs from the root span's status";
  return undefined;
}

/** Says once, naming the first example, that spans-only mode drops something the user set. */
export function warnIfSpansOnlyDropsFields(traces: readonly Trace[]): void {
  for (const trace of traces) {
    const dropped = firstDroppedField(trace);
    if (dropped === undefined) continue;
    reportOnce(
      "export.spans-only-dropped",
      "warn",
      `${dropped} is not stored in spans-only mode (MLFLOW_HAYSTACK_SPANS_ONLY / spansOnly): the server builds the trace record from the spans; use tags for what must reach it`,
    );
    return;
  }
}

/**
 * The estimated trace size above which an OTLP request is split: it bounds the client's memory per
 * request, and ordinary batches stay one request.
 */
export const MAX_OTLP_REQUEST_BYTES = 4 * 1024 * 1024;

/**
 * `targets` as OTLP requests: one experiment per request (the server takes it from a header), and
 * at most `maxBytes` of estimated trace size per request (a bigger trace goes alone).
 */
export function otlpRequestGroups<T extends { trace: Trace; experimentId: string }>(
  targets: readonly T[],
  maxBytes = MAX_OTLP_REQUEST_BYTES,
): { experimentId: string; targets: T[] }[] {
  const open = new Map<string, { experimentId: string; targets: T[]; bytes: number }>();
  const groups: { experimentId: string; targets: T[]; bytes: number }[] = [];
  for (const target of targets) {
    const bytes = estimateTraceBytes(target.trace);
    let group = open.get(target.experimentId);
    if (group === undefined || (group.targets.length > 0 && group.bytes + bytes > maxBytes)) {
      group = { experimentId: target.experimentId, targets: [], bytes: 0 };
      open.set(target.experimentId, group);
      groups.push(group);
    }
    group.targets.push(target);
    group.bytes += bytes;
  }
  return groups.map(({ experimentId, targets: members }) => ({ experimentId, targets: members }));
}
