/** Sync filters, stored per user as JSON text: the queries of services/filters.ts. */
import type { FiltersTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class FiltersStore {
  constructor(private readonly store: Store) {}

  /** The id of the user's stored filter with exactly this JSON, if any. */
  idOf(userId: string, filterJson: string): number | undefined {
    return this.store.first(this.store.q.selectFrom("filters").select("filter_id").where("user_id", "=", userId).where("filter_json", "=", filterJson))?.filter_id;
  }

  /** The user's highest filter id, if they have any filter. */
  lastId(userId: string) {
    return this.store.first(this.store.q.selectFrom("filters").select((eb) => eb.fn.max("filter_id").as("max")).where("user_id", "=", userId))?.max;
  }

  countOf(userId: string): number {
    return Number(this.store.first(this.store.q.selectFrom("filters").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId))?.n ?? 0);
  }

  insert(row: FiltersTable): void {
    this.store.run(this.store.q.insertInto("filters").values(row));
  }

  json(userId: string, filterId: number): string | undefined {
    return this.store.first(this.store.q.selectFrom("filters").select("filter_json")
      .where("user_id", "=", userId).where("filter_id", "=", filterId))?.filter_json;
  }
}
