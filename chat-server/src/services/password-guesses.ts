/**
 * The limit on password guesses (`/login`), kept in memory only. Keys are
 * hashed with a per-process random key, so not even a heap dump holds them.
 *
 * An attempt is reserved before its password is verified (the slow hash) and
 * counts while it runs: guesses sent all at once cannot all pass the check
 * before the first failure is counted, and a refused attempt is never verified.
 * A success gives its reservation back; a failure keeps it for the window.
 */
import { createHmac, randomBytes } from "node:crypto";
import { limitExceeded } from "@onsafe/matrix-basics";

export interface PasswordGuessLimits {
  /** Failed attempts allowed per key in each window. */
  failuresPerWindow: number;
  windowMs: number;
}

interface Entry {
  failures: number;
  /** Attempts reserved and still being verified. */
  pending: number;
  windowStart: number;
}

export class PasswordGuesses {
  private readonly entries = new Map<string, Entry>();
  private readonly key = randomBytes(32);

  constructor(private readonly limits: PasswordGuessLimits, private readonly now: () => number = Date.now) {}

  /**
   * Reserves one attempt for each of `keys` (throws 429 M_LIMIT_EXCEEDED with
   * `retry_after_ms`, verifying nothing, if any key has used up its window),
   * then runs `verify`: a throw counts as a failure for every key.
   */
  async attempt<T>(keys: string[], verify: () => Promise<T>): Promise<T> {
    const now = this.now();
    this.sweep(now);
    const entries = keys.map((key) => this.entry(this.id(key), now));
    for (const entry of entries) {
      if (entry.failures + entry.pending >= this.limits.failuresPerWindow) {
        throw limitExceeded(Math.max(1, entry.windowStart + this.limits.windowMs - now));
      }
    }
    for (const entry of entries) entry.pending++;
    try {
      const result = await verify();
      for (const entry of entries) entry.pending--;
      return result;
    } catch (error) {
      for (const entry of entries) {
        entry.pending--;
        entry.failures++;
      }
      throw error;
    }
  }

  /** The live entry for `id`, a fresh one when its window is over (kept if attempts on the old one still run). */
  private entry(id: string, now: number): Entry {
    const entry = this.entries.get(id);
    if (entry && now - entry.windowStart < this.limits.windowMs) return entry;
    if (entry && entry.pending > 0) {
      entry.failures = 0;
      entry.windowStart = now;
      return entry;
    }
    const fresh = { failures: 0, pending: 0, windowStart: now };
    this.entries.set(id, fresh);
    return fresh;
  }

  private id(key: string): string {
    return createHmac("sha256", this.key).update(key).digest("base64url");
  }

  private sweep(now: number): void {
    if (this.entries.size < 10_000) return;
    for (const [id, entry] of this.entries) {
      if (entry.pending === 0 && now - entry.windowStart >= this.limits.windowMs) this.entries.delete(id);
    }
  }
}
