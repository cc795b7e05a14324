/**
 * The assessment store of a trace destination: the MLflow server, the local store, or — for a
 * client that cannot take assessments afterwards — the trace object itself.
 */
import type { LocalStore } from "../export/clients/local-store/store";
import type { Trace } from "../tracing/trace";
import { AssessmentNotFoundError } from "./errors";
import { LocalFileAssessments } from "./local-file-store";
import { serverAssessments } from "./server-connection";
import { ArrayAssessments, type AssessmentStore } from "./store";

/** Where the exporter sends traces. */
export type TraceDestination = { readonly kind: "server"; readonly uri: string } | { readonly kind: "local"; readonly store: LocalStore } | { readonly kind: "client" };

/** The store for assessments of `trace`, delivered to `destination`. */
export function storeForDestination(destination: TraceDestination, trace: Trace): AssessmentStore {
  if (destination.kind === "server") return serverAssessments(destination.uri);
  if (destination.kind === "local") return new LocalFileAssessments(destination.store);
  return new ArrayAssessments(trace.info.assessments);
}

let provider: (() => TraceDestination) | undefined;

/** The exporter says where traces go now (set once when it is installed). */
export function provideDestination(current: () => TraceDestination): void {
  provider = current;
}

/** The store for assessments of a trace that is not in memory. */
export function currentDestinationStore(): AssessmentStore {
  const destination = provider?.() ?? { kind: "client" };
  if (destination.kind === "server") return serverAssessments(destination.uri);
  if (destination.kind === "local") return new LocalFileAssessments(destination.store);
  return missingStore;
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
