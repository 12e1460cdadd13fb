/**
 * Short-lived one-use keys kept in memory (UIA sessions, admin-registration
 * nonces, used proof-of-work challenges), each for a fixed time and at most
 * `maxSize` at once. (In services/ so that services may use it; http/ uses it too.)
 */
export class ExpiringSet {
  private readonly created = new Map<string, number>();
  /** Entries the expiry has looked at so far (tests count them: the cost per insert stays flat). */
  visited = 0;

  constructor(readonly ttlMs: number, readonly maxSize: number, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.created.size;
  }

  /**
   * Every key lives the same time, so the Map's insertion order is also expiry
   * order: drop from the front while expired and stop at the first live one
   * (each key is looked at about once in its life: O(1) amortised, where a
   * full scan cost about 2 ms at 250,000 keys). When still full, the oldest goes.
   */
  add(key: string): void {
    const now = this.now();
    for (const [k, at] of this.created) {
      this.visited++;
      if (now - at <= this.ttlMs) break;
      this.created.delete(k);
    }
    if (this.created.size >= this.maxSize) this.created.delete(this.created.keys().next().value!);
    this.created.delete(key);
    this.created.set(key, now);
  }

  has(key: string): boolean {
    const at = this.created.get(key);
    return at !== undefined && this.now() - at <= this.ttlMs;
  }

  /** Whether `key` was there and unexpired; it is gone afterwards either way. */
  take(key: string): boolean {
    const live = this.has(key);
    this.created.delete(key);
    return live;
  }
}
