/**
 * The limit on password guesses (`/login` and password confirmations, one
 * budget), kept in memory only. Keys are
 * client addresses, never accounts: others' wrong guesses must not lock anyone
 * out (a bot's or a companion's id is public). They are hashed with a
 * per-process random key, so not even a heap dump holds them.
 *
 * After `backoffAfter` failures each further guess from the address must wait
 * `backoffMs`, doubling with every failure (1 s, 2 s, 4 s, …), one at a time;
 * `failuresPerWindow` stays the last guard.
 *
 * An attempt is reserved before its password is verified (the slow hash) and
 * counts while it runs: guesses sent all at once cannot all pass the check
 * before the first failure is counted, and a refused attempt is never verified.
 * A success gives its reservation back; a failure keeps it for the window.
 *
 * From `backoffAfter` failures on, a `/login` guess must also carry a solved
 * proof-of-work challenge (docs/PROOF-OF-WORK.md): without one, or with a bad
 * one, it is refused with 401 ORG.ONSAFE.POW_REQUIRED and a fresh challenge,
 * its password unchecked and nothing counted. The wait comes first: a guess
 * that must wait gets 429 before any proof is asked for or checked. The proof
 * is checked while the attempt is reserved, so one-at-a-time still holds.
 * Password confirmations (UIA) pass no gate: they need the account's token.
 */
import { createHmac, randomBytes } from "node:crypto";
import { limitExceeded } from "@onsafe/matrix-basics";
import type { ProofOfWork } from "./proof-of-work.ts";

export interface PasswordGuessLimits {
  /** Failed attempts allowed per key in each window. */
  failuresPerWindow: number;
  windowMs: number;
  /** Failures allowed without waiting; after them each guess waits `backoffMs`, doubled with each failure. */
  backoffAfter: number;
  backoffMs: number;
}

interface Entry {
  failures: number;
  /** Attempts reserved and still being verified. */
  pending: number;
  windowStart: number;
  lastFailure: number;
}

export class PasswordGuesses {
  private readonly entries = new Map<string, Entry>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly limits: PasswordGuessLimits,
    private readonly proofOfWork?: ProofOfWork,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reserves one attempt for `clientAddress` (throws 429 M_LIMIT_EXCEEDED with
   * `retry_after_ms`, verifying nothing, if it has used up its window or must
   * wait), checks the proof of work when `gate` is given and the address is past
   * `backoffAfter` failures (`gate.payload`, the request's solved challenge, if
   * any), then runs `verify`: a throw counts as a failure.
   */
  async attempt<T>(clientAddress: string, verify: () => Promise<T>, gate?: { payload: unknown }): Promise<T> {
    const now = this.now();
    this.sweep(now);
    const entry = this.entry(this.id(clientAddress), now);
    const { failuresPerWindow, windowMs, backoffAfter, backoffMs } = this.limits;
    if (entry.failures + entry.pending >= failuresPerWindow) throw limitExceeded(Math.max(1, entry.windowStart + windowMs - now));
    const mustProve = entry.failures >= backoffAfter && gate !== undefined && this.proofOfWork !== undefined;
    if (entry.failures >= backoffAfter) {
      const wait = entry.lastFailure + backoffMs * 2 ** (entry.failures - backoffAfter) - now;
      if (wait > 0) throw limitExceeded(wait);
      if (entry.pending > 0) throw limitExceeded(backoffMs);
    }
    entry.pending++;
    if (mustProve && !(await this.proofOfWork!.verify(gate!.payload))) {
      entry.pending--;
      throw await this.proofOfWork!.required(
        gate!.payload === undefined ? "Too many wrong passwords from this address: solve the challenge to try again" : "The proof of work was not accepted",
      );
    }
    try {
      const result = await verify();
      entry.pending--;
      return result;
    } catch (error) {
      entry.pending--;
      entry.failures++;
      entry.lastFailure = this.now();
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
      // To the back, so the table stays in order of window start (sweep).
      this.entries.delete(id);
      this.entries.set(id, entry);
      return entry;
    }
    const fresh = { failures: 0, pending: 0, windowStart: now, lastFailure: 0 };
    this.entries.delete(id); // an expired entry of the same id goes; the fresh one joins the back
    this.entries.set(id, fresh);
    return fresh;
  }

  private id(key: string): string {
    return createHmac("sha256", this.key).update(key).digest("base64url");
  }

  /**
   * Drops entries whose window is over from the front of the table, which is in order of window
   * start: stops at the first live one, so each attempt looks at only the entries it drops (and the
   * rare expired one still being verified, which `entry` renews).
   */
  private sweep(now: number): void {
    for (const [id, entry] of this.entries) {
      if (now - entry.windowStart < this.limits.windowMs) return;
      if (entry.pending === 0) this.entries.delete(id);
    }
  }
}
