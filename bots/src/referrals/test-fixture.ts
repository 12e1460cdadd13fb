/** For the referral unit tests: the Matrix side of referrals recorded. */
import type { OutgoingFile } from "../runtime/send-file.ts";
import type { CaseRow } from "../storage/index.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import type { DeskRooms } from "./desk.ts";
import type { ReferralRooms } from "./referral-flow.ts";

/** Messages as a bot would send them: each answer once (a repeat returns the first event id), with event ids. */
class RecordingSends {
  sent: { roomId: string; content: Record<string, any> }[] = [];
  protected next = 0;
  private readonly txns = new Map<string, string>();
  /** Set to make the next send whose `answering` ends so fail, as a crash or lost connection would. */
  failSendOf: string | null = null;
  async send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
    if (this.failSendOf && answering.endsWith(this.failSendOf)) {
      this.failSendOf = null;
      throw new Error("connection lost");
    }
    return messages.map((m, i) => {
      const key = `${roomId} ${answering} ${i}`;
      if (!this.txns.has(key)) {
        this.txns.set(key, `$e${++this.next}`);
        this.sent.push({ roomId, content: { ...m.content, event_id: this.txns.get(key) } });
      }
      return this.txns.get(key)!;
    });
  }
  lastPrompt() { return [...this.sent].reverse().find((s) => s.content["org.onsafe.prompt"])!.content["org.onsafe.prompt"]; }
  lastBody(): string { return this.sent.at(-1)!.content.body; }
}

/** The Matrix side recorded: what would be sent, who invited or removed; the summary read back from the recorded offer. */
export class RecordingRooms extends RecordingSends implements ReferralRooms {
  files: { roomId: string; file: OutgoingFile; after: number }[] = [];
  /** Set to make the next file fail, as a lost connection would. */
  failFile = false;
  invited: string[] = [];
  removed: string[] = [];
  async create(c: CaseRow): Promise<string> { return `!referral-${c.id}-${++this.next}:test`; }
  async sendFile(roomId: string, file: OutgoingFile): Promise<string> {
    if (this.failFile) throw new Error("connection lost");
    this.files.push({ roomId, file, after: this.sent.length });
    return `$f${++this.next}`;
  }
  async invite(_roomId: string, userIds: string[]) { this.invited.push(...userIds); }
  async remove(_roomId: string, userIds: string[]) { this.removed.push(...userIds); }
  async summaryOf(_roomId: string, offerEventId: string) {
    return this.sent.find((s) => s.content.event_id === offerEventId)?.content["org.onsafe.referral_summary"] ?? null;
  }
}

/** The referral desk's Matrix side recorded; the companion's words are what the test says they wrote. */
export class RecordingDeskRooms extends RecordingSends implements DeskRooms {
  /** Messages of the companion by event id, as the room would give them back; a missing one cannot be read. */
  readonly written = new Map<string, string>();
  async create(staffId: string): Promise<string> { return `!desk-${staffId}-${++this.next}:test`; }
  async textOf(_roomId: string, eventId: string): Promise<string | null> { return this.written.get(eventId) ?? null; }
}
