/**
 * Where traces go when an OTLP collector is the only destination and does not take them: into the
 * local store, as ordinary stored traces. They are not marked pending, because `traces sync`
 * speaks MLflow's tracking API only and cannot send to a collector (nor read a trace back from
 * one, which its exactly-once guarantee needs): `traces list`/`show` read them, and
 * `traces sync --to <MLflow server>` sends them to an MLflow server.
 */
import { reportOnce } from "../../internal/diagnostics";
import { isProcessEnding, isProcessExiting } from "../../internal/exit-flush";
import { toError } from "../../internal/to-error";
import { Trace } from "../../tracing/trace";
import type { FallbackReport } from "./fallback-client";
import type { LocalStore } from "./local-store/store";

/** The collector the traces were meant for (its URL redacted for printing), and who is told. */
export interface CollectorFallbackOptions {
  readonly collector: string;
  readonly report?: FallbackReport;
}

/**
 * Writes traces the collector did not take to `store`: the returned promise settles once they are
 * on disk; at exit, where only synchronous writes finish, they are written before it returns.
 * Never throws; what cannot be written is reported lost.
 *
 * @example
 * await keepFromCollector(new LocalStore(), traces, error, { collector: "http://127.0.0.1:4318/v1/traces", report });
 */
export function keepFromCollector(store: LocalStore, traces: readonly Trace[], error: Error, options: CollectorFallbackOptions): Promise<void> | undefined {
  const { collector, report } = options;
  const saved = traces.filter((t): t is Trace => t instanceof Trace);
  const where = { collector, dir: store.dir, error };
  const ending = isProcessEnding();
  const lost = (count: number, writeError: unknown): void => {
    reportOnce("local-store.keep-from-collector", "error", `could not keep undelivered traces in ${store.dir}; they are lost`, writeError);
    report?.lost(count, toError(writeError));
  };
  if (isProcessExiting()) {
    try {
      store.exportSync(saved);
      report?.keptFromCollector(saved.length, where, { ending });
    } catch (writeError) {
      report?.lost(saved.length, toError(writeError));
    }
    return undefined;
  }
  return store.export(saved).then(
    ({ failures }) => {
      if (failures.length < saved.length) report?.keptFromCollector(saved.length - failures.length, where, { ending });
      const first = failures[0];
      if (first !== undefined) lost(failures.length, first.error);
    },
    (writeError: unknown) => lost(saved.length, writeError),
  );
}
