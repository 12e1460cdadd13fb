/**
 * Things under way at once (media downloads, long-poll syncs), bounded in all
 * and per key (an account). Kept in memory, like every limit here.
 */
import { limitExceeded } from "@onsafe/matrix-basics";

/**
 * What a refused client is told to wait. A slot frees when someone's download
 * or sync ends, which nothing predicts; a second is about what a file of a few
 * MB takes to a phone, and matrix-js-sdk honours it.
 */
export const SLOT_RETRY_AFTER_MS = 1000;

export class Slots {
  private inUse = 0;
  private readonly perKey = new Map<string, number>();

  /** `total` in all; `perKeyMax` for each key that is given one. */
  constructor(private readonly total: number, private readonly perKeyMax: number) {}

  /**
   * Takes a slot, for `key` too if given (a key of undefined counts only in
   * all); returns its release, which may be called any number of times.
   * Throws M_LIMIT_EXCEEDED with retry_after_ms when full.
   */
  take(key?: string): () => void {
    const mine = key === undefined ? 0 : (this.perKey.get(key) ?? 0);
    if (this.inUse >= this.total || (key !== undefined && mine >= this.perKeyMax)) throw limitExceeded(SLOT_RETRY_AFTER_MS);
    this.inUse++;
    if (key !== undefined) this.perKey.set(key, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      if (key === undefined) return;
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left > 0) this.perKey.set(key, left);
      else this.perKey.delete(key);
    };
  }

  /** Slots in use, in all. */
  get size(): number {
    return this.inUse;
  }
}
