/** Referral desk rows (one room per case and companion), decoded into `ReferralDesk`. Ids and steps only. */
import type { Selectable } from "kysely";
import type { ReferralDesksTable, ReferralItem } from "@onsafe/schema";
import { NOTHING_READ, type ReadMark } from "./read-mark.ts";
import type { BotsStore } from "./store.ts";

export type DeskStep = "idle" | "partner" | ReferralItem | "summary_text" | "confirm";

export interface ReferralDesk {
  roomId: string;
  caseId: string;
  staffId: string;
  round: number;
  step: DeskStep;
  partnerId: string | null;
  items: ReferralItem[];
  summaryEventId: string | null;
  read: ReadMark;
}

export type DeskPatch = Partial<Pick<ReferralDesk, "round" | "step" | "partnerId" | "items" | "summaryEventId" | "read">>;

export class ReferralDeskStore {
  constructor(private readonly db: BotsStore) {}

  insert(d: Pick<ReferralDesk, "roomId" | "caseId" | "staffId">, at: number): void {
    this.db.run(this.db.q.insertInto("referral_desks").values({
      room_id: d.roomId, case_id: d.caseId, staff_id: d.staffId, round: 0, step: "idle", items: "[]",
      read_state: JSON.stringify(NOTHING_READ), created_at: at, updated_at: at,
    }));
  }

  byRoom(roomId: string): ReferralDesk | undefined {
    const row = this.db.first(this.db.q.selectFrom("referral_desks").selectAll().where("room_id", "=", roomId));
    return row && decode(row);
  }

  of(caseId: string, staffId: string): ReferralDesk | undefined {
    const row = this.db.first(this.db.q.selectFrom("referral_desks").selectAll().where("case_id", "=", caseId).where("staff_id", "=", staffId));
    return row && decode(row);
  }

  update(roomId: string, patch: DeskPatch, at: number): void {
    this.db.run(this.db.q.updateTable("referral_desks").set({
      ...(patch.round !== undefined && { round: patch.round }),
      ...(patch.step !== undefined && { step: patch.step }),
      ...(patch.partnerId !== undefined && { partner_id: patch.partnerId }),
      ...(patch.items !== undefined && { items: JSON.stringify(patch.items) }),
      ...(patch.summaryEventId !== undefined && { summary_event_id: patch.summaryEventId }),
      ...(patch.read !== undefined && { read_state: JSON.stringify(patch.read) }),
      updated_at: at,
    }).where("room_id", "=", roomId));
  }
}

function decode(r: Selectable<ReferralDesksTable>): ReferralDesk {
  return {
    roomId: r.room_id,
    caseId: r.case_id,
    staffId: r.staff_id,
    round: r.round,
    step: r.step as DeskStep,
    partnerId: r.partner_id,
    items: JSON.parse(r.items) as ReferralItem[],
    summaryEventId: r.summary_event_id,
    read: JSON.parse(r.read_state) as ReadMark,
  };
}
