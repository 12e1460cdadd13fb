/** Rooms themselves (the `rooms` table): who created them, in which version, when. */
import type { RoomsTable } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

/** Every send checks the room: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  exists: prepared(store, (q, roomId: string) => q.selectFrom("rooms").select("room_id").where("room_id", "=", roomId)),
  creator: prepared(store, (q, roomId: string) => q.selectFrom("rooms").select("creator").where("room_id", "=", roomId)),
});

export class RoomsStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  exists(roomId: string): boolean {
    return !!this.queries.exists.first(roomId);
  }

  creatorOf(roomId: string): string | undefined {
    return this.queries.creator.first(roomId)?.creator;
  }

  /** How many rooms `creator` has created. */
  countCreatedBy(creator: string): number {
    const created = this.store.first(this.store.q.selectFrom("rooms").select((eb) => eb.fn.countAll<number>().as("n")).where("creator", "=", creator));
    return Number(created?.n ?? 0);
  }

  insert(row: RoomsTable): void {
    this.store.run(this.store.q.insertInto("rooms").values(row));
  }
}
