/**
 * The scheduling bot (docs/SCHEDULING.md) carries Matrix events to the
 * scheduler: it reads only the appointments rooms it made. Invited into a
 * counselling room by the case's companion, it posts one notice, leaves at
 * once (handling nothing said there) and starts the appointment in the case's
 * appointments room. Events are handled at least once, in order per room; the
 * read mark is saved after each.
 */
import type { MatrixClient, MatrixEvent, Room } from "matrix-js-sdk";
import { incomingMessage } from "../runtime/incoming-message.ts";
import { alreadyRead, markRead } from "../storage/read-mark.ts";
import { RoomEventFeed } from "../runtime/room-events.ts";
import { visitRoom } from "../runtime/room-visit.ts";
import { companionBringing } from "../queue/case-companion.ts";
import { say } from "../scheduling/messages.ts";
import type { Scheduler } from "../scheduling/scheduler.ts";
import type { BotsTables } from "../storage/index.ts";
import { notice } from "../runtime/outgoing-message.ts";

export class SchedulingBot {
  private readonly feed: RoomEventFeed;

  constructor(
    private readonly client: MatrixClient,
    private readonly t: BotsTables,
    private readonly scheduler: Scheduler,
    keyWaitMs: number,
  ) {
    this.feed = new RoomEventFeed(client, (room, event) => this.onEvent(room, event), keyWaitMs, (room) => this.invited(room),
      (roomId) => t.schedulingRooms.byRoom(roomId) !== undefined);
  }

  /** After a (re)start: invites that came while the bot was away. */
  resume(): void {
    this.feed.invitesWaiting();
  }

  async stop(): Promise<void> {
    this.feed.stop();
    await this.feed.idle();
  }

  /** Brought into a case's room by its companion: one notice, out at once, then the appointment starts in its own room. */
  private async invited(room: Room): Promise<void> {
    const visit = await visitRoom(this.client, room, (inviter, roomId) => companionBringing(this.t, inviter, roomId), ({ c }) => notice(say(c.language ?? "ko", "opened")));
    if (visit) await this.scheduler.request(visit.c.id, visit.staff, null);
  }

  private async onEvent(room: Room, event: MatrixEvent): Promise<void> {
    const known = this.t.schedulingRooms.byRoom(room.roomId);
    if (!known) return; // Never anything said in a counselling room (the feed drops those before decrypting).
    const eventId = event.getId();
    if (!eventId || alreadyRead(known.read, event.getTs(), eventId)) return;
    const c = this.t.cases.byId(known.caseId);
    const message = incomingMessage(room.roomId, event);
    if (c && message) {
      if (event.getContent().msgtype === "m.text") await this.scheduler.onMessage(message);
    } else if (c && event.getType() === "m.room.member" && event.getStateKey() === c.visitorId
      && ["leave", "ban"].includes(String(event.getContent().membership))) {
      await this.scheduler.onVictimLeft(room.roomId);
    }
    this.t.schedulingRooms.setRead(room.roomId, markRead(this.t.schedulingRooms.byRoom(room.roomId)!.read, event.getTs(), eventId));
  }
}
