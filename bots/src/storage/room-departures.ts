/**
 * Rooms the bots still have to leave and forget after their case was erased
 * (docs/QUEUE.md "Retention"). Written in the erasing transaction, so a stop
 * between the erasure and the leaves does not strand a bot in a room no row
 * names any more; each room id is dropped once every bot is out.
 */
import { MetaStore } from "./meta.ts";
import type { BotsStore } from "./store.ts";

const KEY = "rooms_to_leave";

export class RoomDepartureStore {
  private readonly meta: MetaStore;

  constructor(db: BotsStore) {
    this.meta = new MetaStore(db);
  }

  all(): string[] {
    const value = this.meta.get(KEY);
    return value === undefined ? [] : (JSON.parse(value) as string[]);
  }

  add(roomIds: string[]): void {
    this.write([...new Set([...this.all(), ...roomIds])]);
  }

  remove(roomId: string): void {
    this.write(this.all().filter((id) => id !== roomId));
  }

  private write(roomIds: string[]): void {
    this.meta.set(KEY, JSON.stringify(roomIds));
  }
}
