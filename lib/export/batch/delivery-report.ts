/**
 * What the exporter could not deliver, told to the user without noise: one warning when traces
 * are first kept for `traces sync` (with the cause), and one line at exit with the counts and the
 * command that sends them. Counts cover the whole process, so the exit line is never "1 trace"
 * when 40 failed.
 */
import { reportOnce } from "../../internal/diagnostics";
import { onExitReport } from "../../internal/exit-flush";

/** Where undelivered traces were kept. */
export interface KeptTraces {
  /** The tracking URI they were meant for. */
  readonly destination: string;
  /** The local store directory holding them. */
  readonly dir: string;
  readonly error: Error;
}

/** Traces an OTLP collector did not take, written to the local store `dir`. */
export interface KeptFromCollector {
  /** The collector's URL, redacted for printing. */
  readonly collector: string;
  readonly dir: string;
  readonly error: Error;
}

const COLLECTOR_KEPT_ADVICE =
  "`npx mlflow-haystack traces list` shows them, `npx mlflow-haystack traces sync --to <MLflow tracking URI>` sends them to an MLflow server " +
  "(traces sync cannot send to an OTLP collector)";

/** The innermost message: "ECONNREFUSED ..." rather than "the process exited before ...". */
function rootCause(error: Error): string {
  const cause: unknown = error.cause;
  return cause instanceof Error ? cause.message : error.message;
}

/** The most useful description of why delivery failed: the underlying cause when the error only says "gave up". */
function describeCause(error: Error): string {
  const cause: unknown = error.cause;
  const inner = cause instanceof Error ? `: ${cause.message}` : "";
  return `${error.message}${inner}`;
}

/**
 * Tallies undelivered traces of one process and reports them.
 *
 * @example
 * const report = new DeliveryReport();
 * report.kept(3, { destination: "http://127.0.0.1:5000", dir: "/app/mlflow-haystack-traces", error });
 */
/**
 * The command that sends kept traces to `destination`, quoted: `traces sync` alone sends them where
 * MLFLOW_TRACKING_URI points — in the shell that runs it, which is often not the app's (a variable
 * set for one command) — so a destination set with `setTrackingUri` needs `--to`.
 */
function syncCommandFor(destination: string): string {
  return process.env["MLFLOW_TRACKING_URI"]?.trim() === destination
    ? "`npx mlflow-haystack traces sync` (run with the same MLFLOW_TRACKING_URI)"
    : `\`npx mlflow-haystack traces sync --to ${destination}\``;
}

export class DeliveryReport {
  /** `drops()` reads, at exit, traces dropped on a full export queue and removed from a full local store. */
  constructor(private readonly drops: () => { readonly queueFull: number; readonly storeFull: number } = () => ({ queueFull: 0, storeFull: 0 })) {}

  private keptCount = 0;
  private lostCount = 0;
  private collectorKeptCount = 0;
  private lastCollector: KeptFromCollector | undefined;
  private last: KeptTraces | undefined;
  private lostError: Error | undefined;
  private removeExitHook: (() => void) | undefined;

  /** `n` traces were written to the local store, pending for `destination`. */
  kept(n: number, where: KeptTraces, options: { readonly ending: boolean }): void {
    this.keptCount += n;
    this.last = where;
    this.armExitLine();
    // When the app is done, the exit line says it all.
    if (options.ending) return;
    reportOnce(
      "export.kept-undelivered",
      "warn",
      `traces could not be delivered to ${where.destination} (${describeCause(where.error)}); they are kept in ${where.dir} ` +
        `for ${syncCommandFor(where.destination)} (a count follows at exit)`,
    );
  }

  /**
   * `n` traces the OTLP collector (the only destination) did not take were written to the local
   * store: `traces sync` cannot send them to a collector, only to an MLflow server.
   */
  keptFromCollector(n: number, where: KeptFromCollector, options: { readonly ending: boolean }): void {
    this.collectorKeptCount += n;
    this.lastCollector = where;
    this.armExitLine();
    if (options.ending) return;
    reportOnce(
      "export.kept-from-collector",
      "warn",
      `traces could not be exported to the OTLP collector at ${where.collector} (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; ${describeCause(where.error)}); ` +
        `they are kept in ${where.dir}: ${COLLECTOR_KEPT_ADVICE} (a count follows at exit)`,
    );
  }

  /** `n` traces could be neither delivered nor kept. */
  lost(n: number, error: Error): void {
    this.lostCount += n;
    this.lostError = error;
    this.armExitLine();
  }

  /** Makes sure the exit line is printed if anything was kept, lost or dropped. */
  armExitLine(): void {
    this.removeExitHook ??= onExitReport(() => this.exitLine());
  }

  /** The one line printed at exit. */
  exitLine(): void {
    const parts: string[] = [];
    if (this.keptCount > 0 && this.last !== undefined) {
      parts.push(
        `${this.keptCount} trace(s) did not reach ${this.last.destination} (${rootCause(this.last.error)}) and are kept in ` +
          `${this.last.dir}: send them with ${syncCommandFor(this.last.destination)}`,
      );
    }
    if (this.collectorKeptCount > 0 && this.lastCollector !== undefined) {
      parts.push(
        `${this.collectorKeptCount} trace(s) did not reach the OTLP collector at ${this.lastCollector.collector} (${rootCause(this.lastCollector.error)}) ` +
          `and are kept in ${this.lastCollector.dir}: ${COLLECTOR_KEPT_ADVICE}`,
      );
    }
    const { queueFull, storeFull } = this.drops();
    if (queueFull > 0) parts.push(`${queueFull} trace(s) were dropped because the export queue was full (maxQueueSize/maxQueueBytes)`);
    if (storeFull > 0) parts.push(`${storeFull} kept trace(s) were removed from the local store to stay under maxPendingTraces`);
    if (this.lostCount > 0) {
      parts.push(
        `${this.lostCount} trace(s) could not be kept and are lost (${this.lostError === undefined ? "unknown error" : describeCause(this.lostError)})`,
      );
    }
    if (parts.length === 0) return;
    reportOnce("export.exit-summary", "warn", `at exit: ${parts.join("; ")}`);
  }
}
