/**
 * Hands traces that failed for good to the batch processor's `onDeliveryFailed` hook (for the
 * exporter: the local store) and tracks the batches the hook is still writing, so a flush can wait
 * for them and the `exit` handler can have them written again, synchronously.
 */
import { reportOnce } from "../../internal/diagnostics";
import { isThenable } from "./types";

/**
 * The processor's side of `onDeliveryFailed`.
 *
 * @example
 * const keeper = new FailedTraceKeeper(options.onDeliveryFailed);
 * const writing = keeper.keep(traces, error); // a promise while the hook writes, else undefined
 */
export class FailedTraceKeeper<T> {
  private readonly writing = new Set<{ readonly traces: readonly T[]; readonly error: Error }>();
  /** Set at exit: traces lost then are reported by the processor in one line. */
  quiet = false;

  constructor(private readonly hook: ((traces: readonly T[], error: Error) => unknown) | undefined) {}

  /** True when a hook can keep traces (otherwise failed traces are gone). */
  get canKeep(): boolean {
    return this.hook !== undefined;
  }

  /** Hands traces to the hook; returns a promise while the hook is still keeping them. Never throws. */
  keep(traces: readonly T[], error: Error): Promise<void> | undefined {
    const hook = this.hook;
    if (hook === undefined) {
      if (!this.quiet) reportOnce("export.delivery-failed", "warn", `${traces.length} trace(s) could not be exported`, error);
      return undefined;
    }
    let kept: unknown;
    try {
      kept = hook(traces, error);
    } catch (hookError) {
      reportOnce("export.on-delivery-failed", "error", "onDeliveryFailed threw", hookError);
      return undefined;
    }
    if (!isThenable(kept)) return undefined;
    const batch = { traces, error };
    this.writing.add(batch);
    return Promise.resolve(kept).then(
      () => void this.writing.delete(batch),
      (hookError: unknown) => {
        this.writing.delete(batch);
        reportOnce("export.on-delivery-failed", "error", "onDeliveryFailed failed", hookError);
      },
    );
  }

  /** At `exit` asynchronous writes never finish: the hook gets those batches again, to write synchronously. */
  redoAtExit(): void {
    for (const { traces, error } of this.writing) {
      try {
        void this.hook?.(traces, error);
      } catch (hookError) {
        reportOnce("export.on-delivery-failed", "error", "onDeliveryFailed threw", hookError);
      }
    }
    this.writing.clear();
  }
}
