/**
 * The one way undelivered traces are written to the local store and reported, shared by the
 * server fallback (pending for `traces sync`) and the OTLP collector's (stored, not pending).
 */
import { reportOnce } from "../../internal/diagnostics";
import { isProcessEnding, isProcessExiting } from "../../internal/exit-flush";
import { toError } from "../../internal/to-error";
import { Trace } from "../../tracing/trace";
import type { LocalStore } from "./local-store/store";

/** Who hears how many traces were kept or lost (the exporter's delivery report). */
export interface FallbackReport {
  kept(count: number, where: { readonly destination: string; readonly dir: string; readonly error: Error }, options: { readonly ending: boolean }): void;
  /** `count` traces the OTLP collector (the only destination) did not take were written to the local store `dir`. */
  keptFromCollector(
    count: number,
    where: { readonly collector: string; readonly dir: string; readonly error: Error },
    options: { readonly ending: boolean },
  ): void;
  lost(count: number, error: Error): void;
}

/** How one kind of fallback writes its traces and says it kept them. */
export interface LocalKeeping {
  /** The diagnostics key of the "they are lost" error, reported once. */
  readonly lostKey: string;
  /** Writes at exit, where only synchronous writes finish; throws when nothing was written. */
  writeSync(store: LocalStore, traces: readonly Trace[]): void;
  /** Writes; resolves with the errors of the traces that could not be written (none: all kept). */
  write(store: LocalStore, traces: readonly Trace[]): Promise<readonly Error[]>;
  /** Tells the report that `count` traces are on disk. */
  kept(report: FallbackReport | undefined, count: number, ending: boolean): void;
}

/**
 * Writes `traces` to `store` as `keeping` says: the returned promise settles once they are on
 * disk; at exit they are written before it returns. Never throws; what cannot be written is
 * reported lost.
 */
export function keepLocally(store: LocalStore, traces: readonly Trace[], report: FallbackReport | undefined, keeping: LocalKeeping): Promise<void> | undefined {
  const saved = traces.filter((t): t is Trace => t instanceof Trace);
  const ending = isProcessEnding();
  if (isProcessExiting()) {
    try {
      keeping.writeSync(store, saved);
      keeping.kept(report, saved.length, ending);
    } catch (writeError) {
      report?.lost(saved.length, toError(writeError));
    }
    return undefined;
  }
  const lost = (count: number, writeError: unknown): void => {
    reportOnce(keeping.lostKey, "error", `could not keep undelivered traces in ${store.dir}; they are lost`, writeError);
    report?.lost(count, toError(writeError));
  };
  return keeping.write(store, saved).then(
    (errors) => {
      if (errors.length < saved.length) keeping.kept(report, saved.length - errors.length, ending);
      const first = errors[0];
      if (first !== undefined) lost(errors.length, first);
    },
    (writeError: unknown) => lost(saved.length, writeError),
  );
}
