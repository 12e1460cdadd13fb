/**
 * Fixed-window rate limiting kept in memory only. Keys are client addresses,
 * hashed with a per-process random key, so not even a heap dump holds them.
 */
import { createHmac, randomBytes } from "node:crypto";
import { limitExceeded } from "@onsafe/matrix-basics";

export class RateLimiter {
  private readonly hits = new Map<string, { count: number; windowStart: number }>();
  private readonly key = randomBytes(32);

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts one hit for `clientKey`; throws M_LIMIT_EXCEEDED with retry_after_ms when over the limit. */
  hit(clientKey: string): void {
    this.check(clientKey);
    this.spend(clientKey, 1);
  }

  /**
   * Counts `amount` (bytes, say) for `clientKey` without checking: for a cost known only
   * after the work, which `check` refuses once the window's budget is spent.
   */
  spend(clientKey: string, amount: number): void {
    const id = this.id(clientKey);
    const entry = this.hits.get(id);
    if (entry && this.now() - entry.windowStart < this.windowMs) entry.count += amount;
    else this.hits.set(id, { count: amount, windowStart: this.now() });
  }

  /** Throws M_LIMIT_EXCEEDED if `clientKey` has used up its window, without counting a hit. */
  check(clientKey: string): void {
    const now = this.now();
    this.sweep(now);
    const entry = this.hits.get(this.id(clientKey));
    if (entry && now - entry.windowStart < this.windowMs && entry.count >= this.limit) {
      throw limitExceeded(entry.windowStart + this.windowMs - now);
    }
  }

  private id(clientKey: string): string {
    return createHmac("sha256", this.key).update(clientKey).digest("base64url");
  }

  private sweep(now: number): void {
    if (this.hits.size < 10_000) return;
    for (const [id, entry] of this.hits) if (now - entry.windowStart >= this.windowMs) this.hits.delete(id);
  }
}
