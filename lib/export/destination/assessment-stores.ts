/**
 * The assessment store of a trace destination: the MLflow server, the local store, or — for a
 * client that cannot take assessments afterwards — the trace object itself.
 */
import type { Trace } from "../../tracing/trace";
import { LocalFileAssessments } from "../clients/local-store/assessments";
import { LocalStoreReader } from "../clients/local-store/reader";
import type { LocalStore } from "../clients/local-store/store";
import { AssessmentNotFoundError } from "../errors";
import { ArrayAssessments, type AssessmentStore } from "../mlflow/assessment-store";
import { serverAssessments } from "./server-assessments";

/** Where the exporter sends traces. */
export type TraceDestination =
  { readonly kind: "server"; readonly uri: string } | { readonly kind: "local"; readonly store: LocalStore } | { readonly kind: "client" };

/**
 * The store for assessments at `destination`: for a trace delivered to a client that cannot take
 * them later, the trace itself; for a trace not in memory there, none (every call rejects).
 */
export function storeForDestination(destination: TraceDestination, trace?: Trace): AssessmentStore {
  if (destination.kind === "server") return serverAssessments(destination.uri);
  if (destination.kind === "local") return new LocalFileAssessments(new LocalStoreReader(destination.store.dir));
  return trace === undefined ? missingStore : new ArrayAssessments(trace.info.assessments);
}

const notHeld = (traceId: string): AssessmentNotFoundError =>
  new AssessmentNotFoundError(
    `Trace ${traceId} is not held in memory any more, and the trace client set with setTraceClient() cannot take assessments afterwards. ` +
      "Log assessments before the trace is exported, or send traces to an MLflow server or the local store.",
  );

const missingStore: AssessmentStore = {
  create: (a) => Promise.reject(notHeld(a.trace_id)),
  get: (traceId) => Promise.reject(notHeld(traceId)),
  update: (traceId) => Promise.reject(notHeld(traceId)),
  delete: (traceId) => Promise.reject(notHeld(traceId)),
};
