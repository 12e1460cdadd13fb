/**
 * The last day each visitor used their account (`users.active_day`), so idle
 * visitor accounts can expire (services/retention.ts, docs/RETENTION.md).
 * Every authenticated request passes here; a visitor's day is written at most
 * once a day per process, so the request path costs a map lookup. Staff and
 * bots are not tracked: their accounts do not expire.
 */
import type { Store } from "../storage/database.ts";
import { VisitorActivityStore } from "../storage/visitor-activity.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) at `ms`. */
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

export class VisitorActivity {
  /** Visitors whose activity is recorded for `day`; emptied when the day turns, so it holds one day's visitors at most. */
  private recorded = new Set<string>();
  private day = -1;

  private readonly rows: VisitorActivityStore;

  constructor(store: Store, private readonly writer: Writer, private readonly now: () => number = Date.now) {
    this.rows = new VisitorActivityStore(store);
  }

  seen(session: Session): void {
    if (session.kind !== "visitor") return;
    const today = dayOf(this.now());
    if (today !== this.day) {
      this.day = today;
      this.recorded = new Set();
    }
    if (this.recorded.has(session.userId)) return;
    this.recorded.add(session.userId);
    this.writer.write(() => {
      this.rows.markActive(session.userId, today);
    }).catch(() => {
      // Not recorded this time (the store is closing); the next request tries again.
      this.recorded.delete(session.userId);
    });
  }
}
