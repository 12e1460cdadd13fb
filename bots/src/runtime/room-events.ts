/**
 * Feeds a bot the events of its rooms one room at a time and in order, each
 * decrypted first. Rooms run independently; within a room, the next event
 * waits for the handler of the one before, so a conversation's steps never
 * interleave. An event whose room key has not arrived yet is given a while
 * for it (keys and messages can come in different syncs).
 */
import { type MatrixClient, type MatrixEvent, MatrixEventEvent, type Room, RoomEvent } from "matrix-js-sdk";
import { KeyedChain } from "./keyed-chain.ts";

export type RoomEventHandler = (room: Room, event: MatrixEvent) => Promise<void>;
export type InviteHandler = (room: Room) => Promise<void>;

export class RoomEventFeed {
  private readonly chains = new KeyedChain();

  constructor(
    private readonly client: MatrixClient,
    private readonly handler: RoomEventHandler,
    /** How long a message may wait for its room key before it counts as unreadable. */
    private readonly keyWaitMs: number,
    /** Invites to the bot, handled in the room's order too. */
    private readonly onInvite: InviteHandler,
    /**
     * Whether the bot has anything to do in a room. Events of other rooms are
     * dropped before decryption: a helper bot brought into a case's room for a
     * moment must not sit out the key wait for every message it cannot read.
     */
    private readonly handles: (roomId: string) => boolean = () => true,
  ) {
    client.on(RoomEvent.Timeline, this.onTimeline);
    client.on(RoomEvent.MyMembership, this.onMyMembership);
  }

  /** After a (re)start: handles the invites that came while the bot was away. */
  invitesWaiting(): void {
    for (const room of this.client.getRooms()) {
      if (room.getMyMembership() === "invite") this.onMyMembership(room, "invite");
    }
  }

  /** Runs `task` in the room's order, after everything already queued for it; a failure is logged. */
  enqueue(roomId: string, task: () => Promise<void>): Promise<void> {
    return this.chains.run(roomId, task).catch((error: Error) => {
      console.error(`bot: handling an event in a room failed: ${error.message.slice(0, 200)}`);
    });
  }

  /** Resolves when every room's queue is empty (for an orderly stop). */
  idle(): Promise<void> {
    return this.chains.idle();
  }

  /** Stops taking new events; `idle()` then waits for the ones in hand. */
  stop(): void {
    this.client.off(RoomEvent.Timeline, this.onTimeline);
    this.client.off(RoomEvent.MyMembership, this.onMyMembership);
  }

  private readonly onMyMembership = (room: Room, membership: string) => {
    if (membership === "invite") void this.enqueue(room.roomId, () => this.onInvite(room));
  };

  private readonly onTimeline = (event: MatrixEvent, room: Room | undefined, toStartOfTimeline: boolean | undefined, removed: boolean) => {
    if (!room || toStartOfTimeline || removed) return;
    if (event.getSender() === this.client.getUserId()) return;
    void this.enqueue(room.roomId, async () => {
      // Asked when the event's turn comes, after the room's earlier events (and the bot's own set-up) are done.
      if (!this.handles(room.roomId)) return;
      await decrypted(this.client, event, this.keyWaitMs);
      await this.handler(room, event);
    });
  };
}

/** Resolves once the event is decrypted, or after a while without its key (it is then a decryption failure). */
async function decrypted(client: MatrixClient, event: MatrixEvent, keyWaitMs: number): Promise<void> {
  if (!event.isEncrypted()) return;
  await client.decryptEventIfNeeded(event);
  if (!event.isDecryptionFailure()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, keyWaitMs);
    function done() {
      clearTimeout(timer);
      event.off(MatrixEventEvent.Decrypted, onDecrypted);
      resolve();
    }
    function onDecrypted() { if (!event.isDecryptionFailure()) done(); }
    event.on(MatrixEventEvent.Decrypted, onDecrypted);
  });
}
