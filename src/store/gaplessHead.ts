/**
 * The newest member of a gapless sequence 1…n stored under point-readable ids: a stream's
 * history versions, an evaluation run's lease generations. FerretDB serves only `_id` equality
 * from an index, so a sort on the number would scan the collection. From the number this process
 * last saw (its hint), the search gallops forward and then bisects: usually two reads.
 */
export class GaplessHeads {
  /** Insertion order is recency: the least recently noted key is forgotten first. */
  private readonly hints = new Map<string, number>();

  constructor(private readonly maxHints = 10_000) {}

  /** Remembers that `key` has reached `n` (a lower number never replaces a higher one). */
  note(key: string, n: number): void {
    if ((this.hints.get(key) ?? 0) >= n) return;
    this.hints.delete(key);
    if (this.hints.size >= this.maxHints) this.hints.delete(this.hints.keys().next().value!);
    this.hints.set(key, n);
  }

  /** The highest n for which `at(n)` finds something, and what it found; null when there is none. */
  async head<T>(key: string, at: (n: number) => Promise<T | null>): Promise<{ n: number; value: T } | null> {
    let lo = this.hints.get(key) ?? 0;
    let found: T | null = lo > 0 ? await at(lo) : null;
    if (lo > 0 && found === null) {
      // The hinted one is gone (pruned, or the trail cut): forget the hint and start from 1.
      this.hints.delete(key);
      lo = 0;
    }
    let step = 1;
    let hi: number;
    for (;;) {
      const next = await at(lo + step);
      if (next === null) {
        hi = lo + step;
        break;
      }
      lo += step;
      found = next;
      step *= 2;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const d = await at(mid);
      if (d !== null) {
        lo = mid;
        found = d;
      } else hi = mid;
    }
    if (found === null) return null;
    this.note(key, lo);
    return { n: lo, value: found };
  }
}
