/**
 * The alerts' version for the long poll (`GET alerts?after=`): a counter in
 * memory that moves on every change of what anyone should see (the tables'
 * `alertChanges`), with waiters woken when it does. It starts at a random
 * value, so a console never mistakes a restart for "nothing changed".
 */
import { randomInt } from "node:crypto";
import type { AlertChanges } from "../storage/index.ts";

export class AlertFeed {
  private current = randomInt(1, 2 ** 47);
  private waiters = new Set<() => void>();
  readonly stop: () => void;

  constructor(changes: AlertChanges) {
    this.stop = changes.listen(() => this.bump());
  }

  get version(): number {
    return this.current;
  }

  /** Long polls waiting now (a poll whose client went away must not stay among them). */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * Resolves when the version is no longer `after`, after `waitMs`, or when
   * `signal` aborts (the client went away), whichever comes first.
   */
  changedSince(after: number, waitMs: number, signal?: AbortSignal): Promise<void> {
    if (after !== this.current || waitMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  private bump(): void {
    this.current += 1;
    // Woken on the next turn: a change fired inside a transaction is committed by then.
    const waiting = [...this.waiters];
    queueMicrotask(() => { for (const wake of waiting) wake(); });
  }
}
