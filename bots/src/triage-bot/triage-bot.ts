/**
 * The triage bot (DESIGN.md "Conversation flow"): joins a victim's room when
 * invited, runs the triage conversation, puts the case in the queue, watches
 * for crisis words while the victim waits, and hands off to the companion.
 * Decisions live in `triage/` (the conversation) and `queue/` (routing); this
 * class only carries Matrix events to them and their answers back.
 *
 * An event is handled at least once: after a crash between replying and saving
 * the read mark, it is handled again. Replies are sent with transaction ids
 * derived from the event they answer, so the homeserver recognises the repeat
 * and the victim never sees a message twice.
 */
import { APP_OPENING_FIELD, isAppOpeningContent, isOneOf, LANGUAGE_FIELD, LANGUAGES } from "@onsafe/schema";
import type { MatrixClient, MatrixEvent, Room } from "matrix-js-sdk";
import type { BotsConfig } from "../config.ts";
import type { Queue } from "../queue/index.ts";
import type { CaseRow } from "../storage/index.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import { afterHours, afterReturningAnswer, chatClosedNotice, handleMessage, languageTold, readReturningAnswer, type ServiceNow, triageResult, unreadableMessage } from "../triage/index.ts";
import { incomingMessage } from "../runtime/incoming-message.ts";
import { RoomEventFeed } from "../runtime/room-events.ts";
import { roomSynced } from "../runtime/room-synced.ts";
import { alreadyRead, type Conversation, isConversation, markRead, newConversation, reopenedConversation } from "./conversation.ts";
import { handOff } from "./handoff.ts";
import { sendAll } from "../runtime/send.ts";
import { nextOpening } from "./opening-hours.ts";

export class TriageBot {
  private readonly feed: RoomEventFeed;

  constructor(private readonly client: MatrixClient, private readonly queue: Queue, private readonly config: BotsConfig) {
    this.feed = new RoomEventFeed(client, (room, event) => this.onEvent(room, event), config.keyWaitMs, (room) => this.accept(room));
  }

  /**
   * After a (re)start: accepts invites that came while the bot was away, and
   * starts the conversation in rooms it joined just before stopping.
   */
  resume(): void {
    this.feed.invitesWaiting();
    for (const room of this.client.getRooms()) {
      const c = this.queue.cases.getByRoom(room.roomId);
      if (room.getMyMembership() === "join" && c && !isConversation(c.triageState)) void this.feed.enqueue(room.roomId, () => this.begin(c, room));
    }
  }

  async stop(): Promise<void> {
    this.feed.stop();
    await this.feed.idle();
  }

  private async accept(room: Room): Promise<void> {
    const inviter = room.getMember(this.client.getUserId()!)?.events.member?.getSender();
    if (!inviter) {
      await this.client.leave(room.roomId);
      return;
    }
    const staff = this.queue.staff.get(inviter);
    if (staff) {
      // Staff bring the triage bot only back to a case they closed, to be there when its victim writes again; cases start with a victim.
      await this.watchClosed(room, staff.kind);
      return;
    }
    if (!(await this.joinEncrypted(room))) return;
    const c = this.queue.cases.getByRoom(room.roomId) ?? this.queue.cases.createCase({ roomId: room.roomId, visitorId: inviter });
    if (!isConversation(c.triageState)) await this.begin(c, this.client.getRoom(room.roomId)!);
  }

  /** Joins; in a room that is not end-to-end encrypted it leaves again (false): the bot never talks where the server could read it. */
  private async joinEncrypted(room: Room): Promise<boolean> {
    await this.client.joinRoom(room.roomId);
    // Once the join is back through sync, the client knows whether the room is encrypted.
    if (!(await roomSynced(this.client, room.roomId)) || !this.client.getRoom(room.roomId)!.hasEncryptionStateEvent()) {
      await this.client.leave(room.roomId);
      return false;
    }
    return true;
  }

  /**
   * A companion closing a case invites the bot back into its room (docs/SHIFT.md
   * "Closing"): it tells the victim the chat has ended and that writing here
   * brings a counsellor back, then stays to see that message. Not for a case
   * that is open, or whose victim has left or is no longer in the room.
   */
  private async watchClosed(room: Room, inviterKind: string): Promise<void> {
    const c = this.queue.cases.getByRoom(room.roomId);
    const mayWatch = c?.status === "closed" && c.outcome !== "victim_left" && isConversation(c.triageState) && inviterKind !== "partner";
    if (!c || !mayWatch || !(await this.joinEncrypted(room))) {
      if (!mayWatch) await this.client.leave(room.roomId);
      return;
    }
    const joined = this.client.getRoom(room.roomId)!;
    await joined.loadMembersIfNeeded();
    if (joined.getMember(c.visitorId)?.membership !== "join") {
      await this.client.leave(room.roomId);
      return;
    }
    await this.send(c.roomId, [chatClosedNotice(c.language ?? "ko")], `closed ${c.id} ${c.closedAt}`);
  }

  /**
   * Greets the victim with the first prompt; in a room our app opened, which
   * showed the greeting and first prompt itself, says nothing and waits for its answer.
   */
  private async begin(c: CaseRow, room: Room): Promise<void> {
    const created = room.currentState.getStateEvents("m.room.create", "")?.getContent()[APP_OPENING_FIELD];
    // A returning victim (an earlier case closed) is asked first whether the new counsellor may know (docs/CRISIS.md).
    const returning = this.queue.returning.earlierCase(c) !== undefined;
    const { conversation, say } = newConversation(isAppOpeningContent(created) ? { firstPrompt: created.first_prompt } : undefined, returning);
    if (say.length > 0) await this.send(c.roomId, say, `start ${c.id}`);
    await this.queue.cases.saveTriage(c.id, { triageState: conversation });
  }

  private async onEvent(room: Room, event: MatrixEvent): Promise<void> {
    let c = this.queue.cases.getByRoom(room.roomId);
    if (!c || !isConversation(c.triageState)) return;
    let conversation = c.triageState;
    const eventId = event.getId();
    if (!eventId || alreadyRead(conversation.read, event.getTs(), eventId)) return;
    const reopened = c.status === "closed";
    if (reopened) {
      const back = await this.afterClosing(room, c, event);
      if (!back) return;
      [c, conversation] = [back, back.triageState as Conversation];
    }
    const next: Conversation = { ...conversation, read: markRead(conversation.read, event.getTs(), eventId) };

    if (event.getType() === "m.room.member") {
      await this.onMember(room, c, event);
    } else if (event.getSender() === c.visitorId && event.isDecryptionFailure()) {
      // Silence would look like nobody is there; ask again instead.
      await this.send(c.roomId, [unreadableMessage(c.language ?? conversation.machine.language ?? "ko")], eventId);
    } else if (event.getType() === "m.room.message" && event.getSender() === c.visitorId) {
      const returned = conversation.returning ? await this.onReturningAnswer(c, conversation, event) : null;
      if (returned) {
        next.machine = returned;
        delete next.returning;
      } else {
        next.machine = await this.onVictimMessage(c, conversation, event, reopened);
        if (next.returning) next.returning = "open";
      }
    }
    const latest = this.queue.cases.get(c.id);
    if (latest && latest.status !== "closed" && latest.handedOffAt === null) {
      await this.queue.cases.saveTriage(c.id, { triageState: next });
    }
  }

  /**
   * In the room of a closed case (docs/QUEUE.md "After closing"): a message of
   * its victim written after the closing reopens the case, which is returned
   * with its conversation ready to go on; the victim leaving lets the bot go too.
   */
  private async afterClosing(room: Room, c: CaseRow, event: MatrixEvent): Promise<CaseRow | null> {
    if (event.getType() === "m.room.member") {
      const gone = event.getStateKey() === c.visitorId && ["leave", "ban"].includes(String(event.getContent().membership));
      if (gone) await this.client.leave(room.roomId);
      return null;
    }
    const written = event.getSender() === c.visitorId && (event.getType() === "m.room.message" || event.isDecryptionFailure());
    if (!written || event.getTs() <= (c.closedAt ?? 0)) return null;
    if (!(await this.queue.cases.reopen(c.id))) return null;
    return this.queue.cases.saveTriage(c.id, { triageState: reopenedConversation(c.triageState as Conversation) });
  }

  private async onMember(room: Room, c: CaseRow, event: MatrixEvent): Promise<void> {
    const userId = event.getStateKey();
    const membership = event.getContent().membership;
    if (!userId || userId === this.client.getUserId()) return;
    if (membership === "join") {
      const arriving = await this.queue.cases.memberJoined(room.roomId, userId);
      if (!arriving) return;
      // A reopened case is handed off again, to the same companion too: its time in the queue makes it another hand-off.
      await handOff(this.client, room, arriving, (messages) => this.send(room.roomId, messages, `hand-off ${arriving.id} ${userId} ${arriving.queuedAt}`));
      this.queue.cases.markHandedOff(arriving.id);
      await this.client.leave(room.roomId);
    } else if ((membership === "leave" || membership === "ban") && event.getSender() === userId) {
      // Only leaves people made themselves: a declined invite, or the victim leaving.
      await this.queue.cases.memberLeft(room.roomId, userId);
      if (userId === c.visitorId) await this.client.leave(room.roomId);
    }
  }

  /**
   * A returning victim's answer to whether the new counsellor may know of the
   * earlier chat: a yes links the case to it, a no keeps nothing (the message is
   * not noted for the summary either). Returns the triage state to go on with
   * (the language the app told), or null when the message was no such answer.
   */
  private async onReturningAnswer(c: CaseRow, conversation: Conversation, event: MatrixEvent): Promise<Conversation["machine"] | null> {
    const message = incomingMessage(c.roomId, event);
    const language: unknown = event.getContent()[LANGUAGE_FIELD];
    const told = isOneOf(LANGUAGES, language) ? language : undefined;
    const answer = message && readReturningAnswer({ body: message.body, answer: message.answer, language: told }, conversation.returning === "latest");
    if (!answer) return null;
    if (answer === "yes") this.queue.returning.link(c.id);
    const state = languageTold(conversation.machine, told);
    await this.send(c.roomId, afterReturningAnswer(state, answer), event.getId()!);
    return state;
  }

  /**
   * Runs one message of the victim through the conversation; returns the
   * machine's new state, which the caller saves together with the read mark.
   * Until then the stored state is the old one, so a crash anywhere in here
   * replays the message from the same state: the same replies (deduplicated
   * by transaction id), and the queueing again (which changes nothing twice).
   * The queue does not wait for the questions: the machine says when the case
   * belongs in it, and questions left are asked while the victim waits.
   */
  private async onVictimMessage(c: CaseRow, conversation: Conversation, event: MatrixEvent, reopened: boolean): Promise<Conversation["machine"]> {
    const message = incomingMessage(c.roomId, event);
    if (!message) return conversation.machine;
    const language: unknown = event.getContent()[LANGUAGE_FIELD];
    const now = this.serviceNow();
    const step = handleMessage(
      conversation.machine,
      { body: message.body, answer: message.answer, language: isOneOf(LANGUAGES, language) ? language : undefined },
      now,
    );
    // Back in the queue after the closing: while someone is on shift the place in line says so; after hours, when someone is back.
    if (reopened && step.say.length === 0 && !now.open) {
      step.say = [afterHours(step.state.language ?? c.language ?? "ko", now.nextOpening)];
      step.state.toldClosed = true;
    }
    // Crisis words: the case is marked and its alert raised before anything is sent (the consoles' banner reads the
    // alert at once); the duty-room notice that follows goes on beside the replies. Failures come back, never unhandled.
    const crisis = step.crisisNow ? this.queue.cases.markCrisis(c.id).then(() => null, (error: unknown) => ({ error })) : null;
    await this.send(c.roomId, step.say, event.getId()!);
    if (!step.consumed) this.queue.cases.noteEvent(c.id, event.getId()!);
    // The results first: routing reads priority and language when the case is queued, and they reroute a waiting case.
    const { answers: _answers, crisis: _crisis, skipped: _skipped, ...fields } = triageResult(step.state);
    await this.queue.cases.saveTriage(c.id, fields);
    if (step.state.queued) await this.queue.cases.enqueue(c.id);
    const failed = await crisis;
    if (failed) throw failed.error;
    return step.state;
  }

  private serviceNow(): ServiceNow {
    const at = Date.now();
    return { open: this.queue.cases.isOpen(), nextOpening: (lang) => nextOpening(this.config.hours, at, lang) };
  }

  private async send(roomId: string, messages: Outgoing[], answering: string): Promise<void> {
    await sendAll(this.client, roomId, messages, answering);
  }
}
