/** The last day each visitor used their account (`users.active_day`): the query of services/visitor-activity.ts. */
import type { Store } from "./database.ts";

export class VisitorActivityStore {
  constructor(private readonly store: Store) {}

  /** Records `day` as the user's last active day, unless a later (or the same) day is already recorded. */
  markActive(userId: string, day: number): void {
    const { store } = this;
    store.run(store.q.updateTable("users").set({ active_day: day })
      .where("user_id", "=", userId).where((eb) => eb.or([eb("active_day", "is", null), eb("active_day", "<", day)])));
  }
}
