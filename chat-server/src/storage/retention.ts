/** What the retention sweep asks (services/retention.ts): which visitor accounts have been idle too long. */
import type { Store } from "./database.ts";

export class RetentionStore {
  constructor(private readonly store: Store) {}

  /** Visitors not deactivated whose last active day is before `lastKeptDay`. */
  idleVisitors(lastKeptDay: number): string[] {
    return this.store.all(this.store.q.selectFrom("users").select("user_id")
      .where("kind", "=", "visitor").where("deactivated", "=", 0).where("active_day", "<", lastKeptDay)).map((u) => u.user_id);
  }
}
