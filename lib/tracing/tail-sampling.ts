/**
 * Tail rules (`configureTracing({ sampling: { keepErrors, keepSlowerThanMs } })`): a trace the
 * head ratio dropped is still recorded, and kept when it completes if it ended in ERROR or ran at
 * least `keepSlowerThanMs`.
 */
import { tracePolicy } from "./trace-policy";

/** What the rules read of a completed trace record (structural, so this module needs no import of it). */
interface CompletedRecord {
  readonly root: { readonly statusValue: { readonly code: string }; readonly startPerf: number; readonly endPerf: number } | undefined;
  readonly updates: { readonly state?: "OK" | "ERROR" } | undefined;
}

/** Whether a head-dropped trace is kept now that it has completed. */
export function keptByTailRules(record: CompletedRecord): boolean {
  const root = record.root;
  if (root === undefined) return false;
  const policy = tracePolicy();
  if (policy.keepErrors) {
    const state = record.updates?.state ?? (root.statusValue.code === "ERROR" ? "ERROR" : "OK");
    if (state === "ERROR") return true;
  }
  if (policy.keepSlowerThanMs !== undefined) {
    const end = root.endPerf >= 0 ? root.endPerf : root.startPerf;
    if (end - root.startPerf >= policy.keepSlowerThanMs) return true;
  }
  return false;
}
