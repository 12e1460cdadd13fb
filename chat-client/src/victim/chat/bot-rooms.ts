/**
 * The rooms the service's bots open for the victim, beside the chat they
 * created themselves: the scheduling bot's appointments room
 * (docs/SCHEDULING.md) and the referral bot's referral rooms, one per
 * referral (docs/REFERRALS.md). Invites from these bots are joined; any other
 * invite is declined. Invites are looked at after every sync, so one that
 * arrived while the app was closed is joined on the next start, and a join cut
 * off by a lost connection is tried again.
 *
 * Which bot opened a room is read from the room itself (the sender of
 * `m.room.create`), so nothing is stored and a restored session finds every room.
 */
import { ClientEvent, type MatrixClient, type Room, SyncState } from "matrix-js-sdk";
import { fetchPublicConfig, type PublicConfig } from "../../matrix/public-config.ts";
import { createdBy } from "../../matrix/room-view.ts";

type Bots = Pick<PublicConfig, "scheduling_bot" | "referral_bot">;

export class BotRooms {
  private readonly listeners = new Set<() => void>();
  /** Invites being joined or declined now. */
  private readonly busy = new Set<string>();
  private config: Promise<Bots | null> | null = null;
  private bots: Bots | null = null;
  private appointmentsRoom: string | null = null;
  private referralRooms: string[] = [];

  constructor(private readonly client: MatrixClient, private readonly me: string) {}

  /** Starts watching; call before the client's first sync. */
  watch(): void {
    this.client.on(ClientEvent.Sync, (state: SyncState) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) void this.look();
    });
  }

  /** The joined appointments room, if the scheduling bot has opened one (the newest). */
  get appointments(): string | null {
    return this.appointmentsRoom;
  }

  /** The joined referral rooms, newest first. */
  get referrals(): readonly string[] {
    return this.referralRooms;
  }

  /** Every joined room a bot opened (to leave them all, or retry what did not go out). */
  all(): string[] {
    return [...(this.appointmentsRoom ? [this.appointmentsRoom] : []), ...this.referralRooms];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async look(): Promise<void> {
    const bots = await this.known();
    if (!bots) return; // not known yet: looked at again after the next sync
    const rooms = this.client.getRooms();
    for (const room of rooms) {
      if (room.getMyMembership() === "invite" && !this.busy.has(room.roomId)) void this.answer(room, bots);
    }
    const joined = rooms.filter((room) => room.getMyMembership() === "join").sort((a, b) => createdAt(b) - createdAt(a));
    const openedBy = (bot: string | null) => (bot === null ? [] : joined.filter((room) => createdBy(room) === bot).map((room) => room.roomId));
    const appointments = openedBy(bots.scheduling_bot)[0] ?? null;
    const referrals = openedBy(bots.referral_bot);
    if (appointments === this.appointmentsRoom && referrals.join() === this.referralRooms.join()) return;
    this.appointmentsRoom = appointments;
    this.referralRooms = referrals;
    for (const listener of this.listeners) listener();
  }

  private async answer(room: Room, bots: Bots): Promise<void> {
    this.busy.add(room.roomId);
    try {
      const inviter = room.getMember(this.me)?.events.member?.getSender();
      const ours = inviter !== undefined && (inviter === bots.scheduling_bot || inviter === bots.referral_bot);
      if (ours) await this.client.joinRoom(room.roomId);
      else await this.client.leave(room.roomId);
    } catch (error) {
      console.warn("onsafe: an invite could not be answered; trying again after the next sync", error);
    } finally {
      this.busy.delete(room.roomId);
    }
  }

  /** Who the bots are, asked once (again after a failure). */
  private known(): Promise<Bots | null> {
    if (this.bots) return Promise.resolve(this.bots);
    this.config ??= fetchPublicConfig().then((config) => (this.bots = config));
    return this.config.catch(() => {
      this.config = null;
      return null;
    });
  }
}

function createdAt(room: Room): number {
  return room.currentState.getStateEvents("m.room.create", "")?.getTs() ?? 0;
}
