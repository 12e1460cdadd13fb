/** Named facts of the service itself (e.g. `duty_room_id`); never anything a victim wrote. */
import type { BotsStore } from "./store.ts";

export class MetaStore {
  constructor(private readonly db: BotsStore) {}

  get(key: string): string | undefined {
    return this.db.first(this.db.q.selectFrom("meta").select("value").where("key", "=", key))?.value;
  }

  set(key: string, value: string): void {
    this.db.run(this.db.q.insertInto("meta").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })));
  }
}
