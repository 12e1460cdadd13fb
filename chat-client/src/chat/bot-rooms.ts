/**
 * The victim's second room (docs/SCHEDULING.md): the scheduling bot opens one
 * encrypted "appointments room" per case and invites the victim. Its invite is
 * joined; any other invite is declined. Invites are looked at after every sync,
 * so one that arrived while the app was closed is joined on the next start, and
 * a join cut off by a lost connection is tried again.
 */
import { ClientEvent, type MatrixClient, type Room, SyncState } from "matrix-js-sdk";
import { fetchPublicConfig } from "./public-config.ts";
import { createdBy } from "./room-view.ts";

export class AppointmentsRoom {
  private readonly listeners = new Set<() => void>();
  /** Invites being joined or declined now. */
  private readonly busy = new Set<string>();
  private schedulingBot: Promise<string | null> | null = null;
  private current: string | null = null;

  constructor(private readonly client: MatrixClient, private readonly me: string) {}

  /** Starts watching; call before the client's first sync. */
  watch(): void {
    this.client.on(ClientEvent.Sync, (state: SyncState) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) this.look();
    });
  }

  /** The joined appointments room, if the bot has opened one. */
  get roomId(): string | null {
    return this.current;
  }

  room(): Room | null {
    return this.current ? this.client.getRoom(this.current) : null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private look(): void {
    for (const room of this.client.getRooms()) {
      if (room.getMyMembership() === "invite" && !this.busy.has(room.roomId)) void this.answer(room);
    }
    // The app joins no room but the bot's, so a joined room someone else created is the appointments room.
    const joined = this.client.getRooms().filter((room) => room.getMyMembership() === "join" && createdBy(room) !== this.me);
    const newest = joined.sort((a, b) => createdAt(b) - createdAt(a))[0]?.roomId ?? null;
    if (newest !== this.current) {
      this.current = newest;
      for (const listener of this.listeners) listener();
    }
  }

  private async answer(room: Room): Promise<void> {
    this.busy.add(room.roomId);
    try {
      const inviter = room.getMember(this.me)?.events.member?.getSender();
      const bot = await this.bot();
      if (bot === null) return; // not known yet: the invite waits for the next sync
      if (inviter === bot) await this.client.joinRoom(room.roomId);
      else await this.client.leave(room.roomId);
    } catch (error) {
      console.warn("onsafe: an invite could not be answered; trying again after the next sync", error);
    } finally {
      this.busy.delete(room.roomId);
    }
  }

  /** Who the scheduling bot is, asked once (again after a failure). */
  private bot(): Promise<string | null> {
    this.schedulingBot ??= fetchPublicConfig().then((config) => config.scheduling_bot);
    return this.schedulingBot.catch(() => {
      this.schedulingBot = null;
      return null;
    });
  }
}

function createdAt(room: Room): number {
  return room.currentState.getStateEvents("m.room.create", "")?.getTs() ?? 0;
}
