/**
 * Count-then-summarise for dropped traces: one warning when dropping starts, a count on every
 * drop (cheap enough for the hot path), and a summary line at the next flush or shutdown.
 */
import { diag, reportOnce } from "../../internal/diagnostics";

/**
 * Drop accounting of one batch processor.
 *
 * @example
 * const drops = new DropCounter("maxQueueSize 2048 traces");
 * drops.full();            // warns once, counts
 * drops.summarise();       // "dropped 1 trace(s) since ... because the export queue was full"
 */
export class DropCounter {
  /** Drops since creation. */
  total = 0;
  /** Drops not yet reported to a flush. */
  sinceFlush = 0;
  private unsummarised = 0;
  private since = 0;

  constructor(private readonly limits: string) {}

  /** A trace refused because the queue is full. */
  full(): void {
    this.total += 1;
    this.sinceFlush += 1;
    this.unsummarised += 1;
    if (this.unsummarised > 1) return;
    this.since = Date.now();
    reportOnce(
      "export.queue-full",
      "warn",
      `the export queue is full (${this.limits}); new traces are dropped and counted. ` +
        "Traces are completing faster than they can be sent (or the tracking server is unreachable); " +
        "raise maxQueueSize/maxQueueBytes with configureExport, or check the server",
    );
  }

  /** A trace refused because the processor has shut down. */
  closed(): void {
    this.total += 1;
    this.sinceFlush += 1;
    reportOnce("export.after-shutdown", "warn", "a trace completed after the exporter shut down; it was dropped");
  }

  /** Returns and resets the drops a flush reports. */
  takeSinceFlush(): number {
    const n = this.sinceFlush;
    this.sinceFlush = 0;
    return n;
  }

  /** Logs (through `diag`) how many traces were dropped since the last summary. */
  summarise(): void {
    if (this.unsummarised === 0) return;
    diag("warn", `dropped ${this.unsummarised} trace(s) since ${new Date(this.since).toISOString()} because the export queue was full`);
    this.unsummarised = 0;
  }
}
