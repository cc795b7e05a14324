/**
 * Tail rules (`configureTracing({ sampling: { keepErrors, keepSlowerThanMs } })`): a trace the
 * head ratio dropped is still recorded, and kept when it completes if it ended in ERROR or ran at
 * least `keepSlowerThanMs`.
 */
import { tracePolicy } from "./trace-policy";

/** What the rules read of a completed trace: its state and its root span's status and times (in `nowPerf()` readings; end -1 while the root runs). */
export interface CompletedTraceSummary {
  readonly state: "OK" | "ERROR" | undefined;
  readonly rootStatusCode: string;
  readonly rootStartPerf: number;
  readonly rootEndPerf: number;
}

/** Whether a head-dropped trace is kept now that it has completed. */
export function keptByTailRules(trace: CompletedTraceSummary): boolean {
  const policy = tracePolicy();
  if (policy.keepErrors) {
    const state = trace.state ?? (trace.rootStatusCode === "ERROR" ? "ERROR" : "OK");
    if (state === "ERROR") return true;
  }
  if (policy.keepSlowerThanMs !== undefined) {
    const end = trace.rootEndPerf >= 0 ? trace.rootEndPerf : trace.rootStartPerf;
    if (end - trace.rootStartPerf >= policy.keepSlowerThanMs) return true;
  }
  return false;
}
