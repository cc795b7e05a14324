/**
 * Where traces go when an OTLP collector is the only destination and does not take them: into the
 * local store, as ordinary stored traces. They are not marked pending, because `traces sync`
 * speaks MLflow's tracking API only and cannot send to a collector (nor read a trace back from
 * one, which its exactly-once guarantee needs): `traces list`/`show` read them, and
 * `traces sync --to <MLflow server>` sends them to an MLflow server.
 */
import type { Trace } from "../../tracing/trace";
import { keepLocally, type FallbackReport } from "./keep-locally";
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
  const where = { collector, dir: store.dir, error };
  return keepLocally(store, traces, report, {
    lostKey: "local-store.keep-from-collector",
    writeSync: (into, saved) => into.exportSync(saved),
    write: (into, saved) => into.export(saved).then(({ failures }) => failures.map((f) => f.error)),
    kept: (to, count, ending) => to?.keptFromCollector(count, where, { ending }),
  });
}
