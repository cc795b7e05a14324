/**
 * Traces waiting out their retry backoff, one group per failed batch, oldest first. Each group's
 * timer holds the process open only while someone flushes (the processor says when).
 */
import type { QueueEntry } from "./queue";

interface Group<T> {
  entries: QueueEntry<T>[];
  readonly timer: NodeJS.Timeout;
}

/**
 * The batch processor's backoff timers.
 *
 * @example
 * const waitlist = new RetryWaitlist<Trace>();
 * waitlist.add(entries, 500, false, (due) => queue.retry(due));
 */
export class RetryWaitlist<T> {
  private readonly groups = new Set<Group<T>>();

  /** Hands `entries` to `onDue` after `delayMs`; the timer is unref'd unless `keepAlive`. */
  add(entries: QueueEntry<T>[], delayMs: number, keepAlive: boolean, onDue: (entries: QueueEntry<T>[]) => void): void {
    const group: Group<T> = {
      entries,
      timer: setTimeout(() => {
        this.groups.delete(group);
        onDue(group.entries);
      }, delayMs),
    };
    if (!keepAlive) group.timer.unref();
    this.groups.add(group);
  }

  /** Removes the group that has waited longest (its timer cancelled), if any. */
  takeOldest(): QueueEntry<T>[] | undefined {
    const oldest = this.groups.values().next();
    if (oldest.done === true) return undefined;
    clearTimeout(oldest.value.timer);
    this.groups.delete(oldest.value);
    return oldest.value.entries;
  }

  /** Removes every group, timers cancelled. */
  drain(): QueueEntry<T>[] {
    const all: QueueEntry<T>[] = [];
    for (const g of this.groups) {
      clearTimeout(g.timer);
      all.push(...g.entries);
    }
    this.groups.clear();
    return all;
  }

  /** Removes the entries that satisfy `match` (a group left empty has its timer cancelled). */
  take(match: (entry: QueueEntry<T>) => boolean): QueueEntry<T>[] {
    const taken: QueueEntry<T>[] = [];
    for (const g of this.groups) {
      const kept = g.entries.filter((e) => !match(e));
      if (kept.length === g.entries.length) continue;
      for (const e of g.entries) if (match(e)) taken.push(e);
      if (kept.length === 0) {
        clearTimeout(g.timer);
        this.groups.delete(g);
      } else g.entries = kept;
    }
    return taken;
  }

  /** How many waiting entries satisfy `match`. */
  count(match: (entry: QueueEntry<T>) => boolean): number {
    let n = 0;
    for (const g of this.groups) for (const e of g.entries) if (match(e)) n += 1;
    return n;
  }

  /** Whether the timers hold the process open. */
  setKeepAlive(on: boolean): void {
    for (const g of this.groups) {
      if (on) g.timer.ref();
      else g.timer.unref();
    }
  }
}
