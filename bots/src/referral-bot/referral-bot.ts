/**
 * The referral bot (docs/REFERRALS.md) carries the events of its referral
 * rooms to the referral flow: the victim's answers and withdrawal, partner
 * staff joining (acceptance) and writing (first contact: the sender only,
 * the words are never read). Referrals start from the ops API (the console),
 * or from an invite into a case's room by its companion, from any Matrix
 * client: the bot leaves that room at once and asks the companion in a
 * referral desk room of their own (`ReferralDesks`). Events are handled at
 * least once, in order per room.
 */
import type { MatrixClient, MatrixEvent, Room } from "matrix-js-sdk";
import { incomingMessage } from "../runtime/incoming-message.ts";
import { alreadyRead, markRead } from "../storage/read-mark.ts";
import { RoomEventFeed } from "../runtime/room-events.ts";
import { visitRoom } from "../runtime/room-visit.ts";
import { companionBringing } from "../queue/case-companion.ts";
import { deskSay, type ReferralDesks } from "../referrals/desk.ts";
import { notice } from "../referrals/messages.ts";
import type { Referrals } from "../referrals/referral-flow.ts";
import type { BotsTables } from "../storage/index.ts";

export class ReferralBot {
  private readonly feed: RoomEventFeed;

  constructor(
    private readonly client: MatrixClient,
    private readonly t: BotsTables,
    private readonly referrals: Referrals,
    private readonly desks: ReferralDesks,
    keyWaitMs: number,
  ) {
    this.feed = new RoomEventFeed(client, (room, event) => this.onEvent(room, event), keyWaitMs, (room) => this.invited(room),
      (roomId) => this.desks.isDesk(roomId) || t.referrals.byRoom(roomId) !== undefined);
  }

  /** After a (re)start: invites that came while the bot was away, and referrals it stopped in the middle of finishing. */
  resume(): void {
    this.feed.invitesWaiting();
    this.referrals.resumeUnfinished().catch((error: Error) => console.error(`referrals: resuming failed: ${error.message.slice(0, 200)}`));
  }

  async stop(): Promise<void> {
    this.feed.stop();
    await this.feed.idle();
  }

  /**
   * Brought into a case's room by its companion: the bot says where it will
   * ask (one notice), leaves before anyone speaks, and asks the companion for
   * the partner, the items and the summary in their referral desk room.
   */
  private async invited(room: Room): Promise<void> {
    const visit = await visitRoom(this.client, room, (inviter, roomId) => companionBringing(this.t, inviter, roomId), ({ c }) => notice(deskSay(c.language ?? "ko", "visit")));
    if (visit) await this.desks.open(visit.c, visit.staff, visit.joinId);
  }

  private async onEvent(room: Room, event: MatrixEvent): Promise<void> {
    if (this.desks.isDesk(room.roomId)) {
      const message = incomingMessage(room.roomId, event);
      if (message) await this.desks.onMessage(message);
      return;
    }
    const r = this.t.referrals.byRoom(room.roomId);
    const eventId = event.getId();
    if (!r || !eventId || alreadyRead(r.read, event.getTs(), eventId)) return;
    const c = this.t.cases.byId(r.caseId);
    const sender = event.getSender()!;
    if (c && event.getType() === "m.room.member" && event.getContent().membership === "join") {
      await this.referrals.onJoin(room.roomId, event.getStateKey()!, eventId);
    } else if (c && this.referrals.isPartnerStaff(room.roomId, sender) && ["m.room.message", "m.room.encrypted"].includes(event.getWireType())) {
      await this.referrals.onPartnerMessage(room.roomId, sender);
    } else if (c && sender === c.visitorId) {
      const message = incomingMessage(room.roomId, event);
      if (message) await this.referrals.onVictimMessage(message);
    }
    this.t.referrals.update(r.id, { read: markRead(this.t.referrals.byId(r.id)!.read, event.getTs(), eventId) });
  }
}
