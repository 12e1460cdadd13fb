/** For the scheduler's unit tests: the queue fixture plus a scheduler whose Matrix side records what it would send. */
import { queueFixture, type Fixture } from "../queue/test-fixture.ts";
import type { BotsTables, CaseRow } from "../storage/index.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import { Reminders } from "./reminders.ts";
import { type AppointmentRooms, Scheduler } from "./scheduler.ts";

export interface Sent {
  roomId: string;
  content: Record<string, any>;
  answering: string;
}

export class RecordingRooms implements AppointmentRooms {
  sent: Sent[] = [];
  files: { roomId: string; name: string; text: string }[] = [];
  opened: { caseId: string; companionId: string }[] = [];
  private next = 0;
  /** Event ids already given per transaction, as the homeserver's idempotent send does. */
  private readonly txns = new Map<string, string>();

  constructor(private readonly t: BotsTables) {}

  async open(c: CaseRow, companionId: string): Promise<string> {
    this.opened.push({ caseId: c.id, companionId });
    const roomId = `!appointments-${c.id}:test`;
    if (!this.t.schedulingRooms.ofCase(c.id)) this.t.schedulingRooms.insert(c.id, roomId, 0);
    return roomId;
  }

  async send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
    return messages.map((m, i) => {
      const key = `${roomId} ${answering} ${i}`;
      let id = this.txns.get(key);
      if (!id) {
        id = `$e${++this.next}`;
        this.txns.set(key, id);
        this.sent.push({ roomId, content: m.content, answering });
      }
      return id;
    });
  }

  async sendFile(roomId: string, file: { name: string; bytes: Uint8Array }): Promise<void> {
    this.files.push({ roomId, name: file.name, text: Buffer.from(file.bytes).toString("utf8") });
  }

  /** The newest message carrying a prompt. */
  lastPrompt(): { id: string; options: { id: string; label: string }[]; body: string } {
    const m = [...this.sent].reverse().find((s) => s.content["org.onsafe.prompt"]);
    if (!m) throw new Error("no prompt was sent");
    return { ...m.content["org.onsafe.prompt"], body: m.content.body };
  }

  last(): Record<string, any> {
    return this.sent.at(-1)!.content;
  }
}

export interface SchedulingFixture extends Fixture {
  scheduler: Scheduler;
  reminders: Reminders;
  rooms: RecordingRooms;
}

export async function schedulingFixture(o: { visitsPerDay?: number } = {}): Promise<SchedulingFixture> {
  const q = await queueFixture();
  const rooms = new RecordingRooms(q.tables);
  const scheduler = new Scheduler(q.tables, q.clock, rooms, "Asia/Seoul", o.visitsPerDay ?? 3);
  const reminders = new Reminders(q.tables, q.clock, rooms, "Asia/Seoul", scheduler.caseOrder);
  return Object.assign(q, { scheduler, reminders, rooms });
}
