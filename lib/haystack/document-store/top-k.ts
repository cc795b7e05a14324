/**
 * Keeps the best `k` entries by score descending, then by a sequence number ascending: the
 * result of Python's stable `sorted(..., reverse=True)[:k]` over items pushed in any order.
 */
export class TopK<T> {
  private static readonly INSERTION_LIMIT = 64;
  private readonly items: { item: T; score: number; seq: number }[] = [];

  constructor(private readonly k: number) {}

  push(item: T, score: number, seq: number): void {
    const items = this.items;
    if (this.k > TopK.INSERTION_LIMIT) {
      items.push({ item, score, seq });
      return;
    }
    if (items.length === this.k) {
      const last = items[items.length - 1];
      if (last === undefined || !ranksBefore(score, seq, last.score, last.seq)) return;
      items.pop();
    }
    let i = items.length;
    while (i > 0) {
      const prev = items[i - 1];
      if (prev === undefined || !ranksBefore(score, seq, prev.score, prev.seq)) break;
      i--;
    }
    items.splice(i, 0, { item, score, seq });
  }

  result(): { payload: T; score: number }[] {
    if (this.k > TopK.INSERTION_LIMIT) {
      this.items.sort((a, b) => (ranksBefore(a.score, a.seq, b.score, b.seq) ? -1 : 1));
      this.items.length = Math.min(this.items.length, this.k);
    }
    return this.items.map(({ item, score }) => ({ payload: item, score }));
  }
}

function ranksBefore(score: number, seq: number, otherScore: number, otherSeq: number): boolean {
  return score > otherScore || (score === otherScore && seq < otherSeq);
}
