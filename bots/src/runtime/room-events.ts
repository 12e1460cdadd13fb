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
      await decrypted(this.client, event, sentBeforeMyJoin(room, event, this.client.getUserId()) ? 0 : this.keyWaitMs);
      await this.handler(room, event);
    });
  };
}

/**
 * Sent before the bot's current join: its key will not come (senders share keys
 * with the members they know), so it is not waited for. A bot back in a room
 * it left (the triage bot after a closing, docs/QUEUE.md "After closing") may be
 * given what was said while it was away; waiting 30 s on each would hold up the
 * message that brought it back.
 */
function sentBeforeMyJoin(room: Room, event: MatrixEvent, me: string | null): boolean {
  const joined = me ? room.getMember(me)?.events.member : undefined;
  return joined?.getContent().membership === "join" && event.getTs() < joined.getTs();
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
