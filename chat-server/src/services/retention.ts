/**
 * Idle visitor accounts expire (docs/RETENTION.md): a visitor who has not used
 * their account for `ONSAFE_VISITOR_RETENTION_DAYS` is deleted as if they had
 * pressed "delete my conversation" (services/deactivation.ts): the account is
 * locked, their rooms left and erased, their keys, devices and files gone.
 * The sweep runs at start and every hour; it logs counts only.
 */
import type { Store } from "../storage/database.ts";
import { RetentionStore } from "../storage/retention.ts";
import type { Deactivation } from "./deactivation.ts";
import { dayOf } from "./visitor-activity.ts";

export const SWEEP_EVERY_MS = 60 * 60 * 1000;

export class Retention {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly rows: RetentionStore;

  constructor(store: Store, private readonly deactivation: Deactivation, private readonly visitorRetentionDays: number) {
    this.rows = new RetentionStore(store);
  }

  /** Deletes the visitors idle for longer than the retention period at `now`; returns how many. */
  sweep(now = Date.now()): Promise<number> {
    // One sweep at a time: a slow one (thousands of accounts) must not meet the next hour's.
    this.running ??= this.deleteIdle(now).finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Sweeps now and every hour until `stop`. */
  start(log: (line: string) => void = console.log): void {
    const run = () => this.sweep().then(
      (deleted) => { if (deleted > 0) log(`Retention: ${deleted} idle visitor account(s) deleted`); },
      (error: unknown) => log(`Retention sweep failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    void run();
    this.timer = setInterval(run, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async deleteIdle(now: number): Promise<number> {
    const lastKeptDay = dayOf(now) - this.visitorRetentionDays;
    const idle = this.rows.idleVisitors(lastKeptDay);
    for (const userId of idle) {
      await this.deactivation.deactivate({ userId, deviceId: "", kind: "visitor", tokenHash: "" });
    }
    return idle.length;
  }
}
