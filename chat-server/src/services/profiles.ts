/** Own profile changes, carried into every joined room as a new member event. */
import type { Store } from "../storage/database.ts";
import { type ProfileField, ProfilesStore } from "../storage/profiles.ts";
import type { Writer } from "../storage/writer.ts";
import type { Accounts } from "./accounts.ts";
import type { Rooms } from "./rooms.ts";

export type { ProfileField };

export class Profiles {
  private readonly rows: ProfilesStore;

  constructor(store: Store, private readonly writer: Writer, private readonly accounts: Accounts, private readonly rooms: Rooms) {
    this.rows = new ProfilesStore(store);
  }

  async set(userId: string, field: ProfileField, value: string | null): Promise<void> {
    await this.writer.write((ctx) => {
      this.rows.setField(userId, field, value);
      this.rooms.updateProfileInRooms(ctx, userId, this.accounts.profile(userId));
    });
  }
}
