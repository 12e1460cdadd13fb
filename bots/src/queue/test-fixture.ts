/** For the queue's unit tests: an in-memory database, a hand-moved clock and a recording Matrix side. */
import type { Language, StaffKind } from "@onsafe/schema";
import { botsTables, type BotsTables, type CaseRow, openMemoryBotsStore } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import { createQueue, type Queue } from "./index.ts";
import type { CaseRoomActions } from "./case-room-actions.ts";

export const OFFER_TIMEOUT_MS = 120_000;

export class FakeClock implements Clock {
  constructor(public t = Date.parse("2026-11-26T10:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export type Call =
  | { kind: "invite"; roomId: string; userId: string }
  | { kind: "withdrawInvite"; roomId: string; userId: string }
  | { kind: "queueUpdate"; caseId: string; position: number; expectedWaitMinutes: number | null }
  | { kind: "crisisAlert"; caseId: string; staff: string[] };

export class RecordingActions implements CaseRoomActions {
  calls: Call[] = [];
  async invite(roomId: string, userId: string) { this.calls.push({ kind: "invite", roomId, userId }); }
  async withdrawInvite(roomId: string, userId: string) { this.calls.push({ kind: "withdrawInvite", roomId, userId }); }
  async queueUpdate(c: CaseRow, position: number, expectedWaitMinutes: number | null) {
    this.calls.push({ kind: "queueUpdate", caseId: c.id, position, expectedWaitMinutes });
  }
  async crisisAlert(c: CaseRow, staff: string[]) { this.calls.push({ kind: "crisisAlert", caseId: c.id, staff }); }

  /** Calls of one kind, then forgets all calls so the next step starts clean. */
  take<K extends Call["kind"]>(kind: K): Extract<Call, { kind: K }>[] {
    const found = this.calls.filter((c): c is Extract<Call, { kind: K }> => c.kind === kind);
    this.calls = [];
    return found;
  }
  of<K extends Call["kind"]>(kind: K): Extract<Call, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<Call, { kind: K }> => c.kind === kind);
  }
}

export interface Fixture extends Queue {
  tables: BotsTables;
  clock: FakeClock;
  actions: RecordingActions;
  /** Adds a companion (on shift unless said otherwise); returns their user id. */
  staffMember(name: string, o?: { kind?: StaffKind; languages?: string[]; capacity?: number; onShift?: boolean }): Promise<string>;
  /** A victim's room through triage into the queue; returns the case. */
  queuedCase(name: string, o?: { language?: Language | null; priority?: number; minor?: boolean }): Promise<CaseRow>;
}

export async function queueFixture(): Promise<Fixture> {
  const tables = botsTables(await openMemoryBotsStore());
  const clock = new FakeClock();
  const actions = new RecordingActions();
  const queue = createQueue({ tables, clock, actions, offerTimeoutMs: OFFER_TIMEOUT_MS, defaultCapacity: 3, timeZone: "Asia/Seoul" });
  return {
    ...queue,
    tables,
    clock,
    actions,
    async staffMember(name, o = {}) {
      const userId = `@${name}:test`;
      await queue.staff.addOrUpdateStaff({ userId, kind: o.kind ?? "companion", displayName: name, languages: o.languages ?? ["ko"], capacity: o.capacity });
      if (o.onShift ?? true) await queue.staff.setShift(userId, true);
      return userId;
    },
    async queuedCase(name, o = {}) {
      const c = queue.cases.createCase({ roomId: `!${name}:test`, visitorId: `@v-${name}:test` });
      await queue.cases.saveTriage(c.id, { language: o.language === undefined ? "ko" : o.language, priority: o.priority, minor: o.minor });
      clock.advance(1000);
      return queue.cases.enqueue(c.id);
    },
  };
}
