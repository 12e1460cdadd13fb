/** Own profile changes, carried into every joined room as a new member event. */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import type { Accounts } from "./accounts.ts";
import type { Rooms } from "./rooms.ts";

export type ProfileField = "displayname" | "avatar_url";

export class Profiles {
  constructor(private readonly store: Store, private readonly writer: Writer, private readonly accounts: Accounts, private readonly rooms: Rooms) {}

  async set(userId: string, field: ProfileField, value: string | null): Promise<void> {
    await this.writer.write((ctx) => {
      this.store.run(this.store.q.updateTable("users").set({ [field]: value }).where("user_id", "=", userId));
      this.rooms.updateProfileInRooms(ctx, userId, this.accounts.profile(userId));
    });
  }
}
