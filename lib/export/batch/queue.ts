/**
 * The traces a batch processor holds that are not in flight: freshly enqueued ones (not yet
 * measured), measured ones in arrival order, and retries whose backoff is over (sent first).
 */

/** A measured trace with its delivery history. */
export interface QueueEntry<T> {
  readonly trace: T;
  readonly bytes: number;
  /** Order of acceptance; a flush waits for every entry below its target. */
  readonly seq: number;
  attempts: number;
  firstAttemptAt: number;
  /**
   * The processor's flush count when the last attempt could not reach the destination at all (kept
   * through the retry that follows); undefined when the last attempt failed otherwise.
   */
  unreachableAt?: number | undefined;
}

/**
 * FIFO of traces waiting for a batch. `push` is O(1) and measures nothing: `intake` does that
 * later, off the caller's hot path.
 *
 * @example
 * const q = new BatchQueue<Trace>();
 * q.push(trace);
 * q.intake((t) => 100, () => true, () => {});
 * const batch = q.take(100, true);
 */
export class BatchQueue<T> {
  private incoming: T[] = [];
  private ready: QueueEntry<T>[] = [];
  private head = 0;
  private retries: QueueEntry<T>[] = [];
  private nextSeq = 0;
  /** The measured size of the first incoming trace, kept while it waits for room. */
  private pendingBytes: number | undefined = undefined;

  /** Adds a trace; O(1). */
  push(trace: T): void {
    this.incoming.push(trace);
  }

  /** Sequence number the next pushed trace will get. */
  get seqAfterLast(): number {
    return this.nextSeq + this.incoming.length;
  }

  /** Traces pushed but not yet measured. */
  get arrived(): number {
    return this.incoming.length;
  }

  /** Measured traces waiting for a batch (retries not included). */
  get waiting(): number {
    return this.ready.length - this.head;
  }

  /**
   * Measures pushed traces in order; `admit(bytes)` decides whether each one fits (and accounts
   * for it). The first that does not fit stops the intake and waits, with those behind it, for
   * exports to free room. Returns whether everything that arrived was taken in.
   */
  intake(measure: (trace: T) => number, admit: (bytes: number) => boolean): boolean {
    const arrived = this.incoming;
    let taken = 0;
    for (; taken < arrived.length; taken++) {
      const trace = arrived[taken] as T;
      this.pendingBytes ??= measure(trace);
      if (!admit(this.pendingBytes)) break;
      this.ready.push({ trace, bytes: this.pendingBytes, seq: this.nextSeq++, attempts: 0, firstAttemptAt: 0 });
      this.pendingBytes = undefined;
    }
    if (taken > 0) arrived.splice(0, taken);
    return arrived.length === 0;
  }

  /** Puts traces whose backoff is over at the front. */
  retry(entries: readonly QueueEntry<T>[]): void {
    this.retries.push(...entries);
  }

  /** How many retries waiting for a batch satisfy `match`. */
  countRetries(match: (entry: QueueEntry<T>) => boolean): number {
    let n = 0;
    for (const e of this.retries) if (match(e)) n += 1;
    return n;
  }

  /** The next batch: retries first, topped up from the queue; a partial batch only if `partialOk` or retries wait. */
  take(maxBatchSize: number, partialOk: boolean): QueueEntry<T>[] | undefined {
    const waiting = this.waiting;
    if (this.retries.length === 0 && (waiting === 0 || (waiting < maxBatchSize && !partialOk))) return undefined;
    const batch = this.retries.splice(0, maxBatchSize);
    const take = Math.min(maxBatchSize - batch.length, waiting);
    for (let i = 0; i < take; i++) batch.push(this.ready[this.head + i] as QueueEntry<T>);
    this.head += take;
    if (this.head === this.ready.length) {
      this.ready = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** Empties the queue, unmeasured traces included (as 0-byte entries). */
  drain(): QueueEntry<T>[] {
    const all = [...this.retries, ...this.ready.slice(this.head)];
    for (const trace of this.incoming) all.push({ trace, bytes: 0, seq: this.nextSeq++, attempts: 0, firstAttemptAt: 0 });
    this.incoming = [];
    this.pendingBytes = undefined;
    this.retries = [];
    this.ready = [];
    this.head = 0;
    return all;
  }
}
