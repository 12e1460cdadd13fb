/** The scheduling bot's appointments room of each case, and its read mark there. */
import { NOTHING_READ, type ReadMark } from "./read-mark.ts";
import type { BotsStore } from "./store.ts";

export interface SchedulingRoom {
  caseId: string;
  roomId: string;
  read: ReadMark;
}

export class SchedulingRoomStore {
  constructor(private readonly db: BotsStore) {}

  insert(caseId: string, roomId: string, at: number): void {
    this.db.run(this.db.q.insertInto("scheduling_rooms").values({ case_id: caseId, room_id: roomId, created_at: at, read_state: JSON.stringify(NOTHING_READ) }));
  }

  ofCase(caseId: string): SchedulingRoom | undefined {
    const row = this.db.first(this.db.q.selectFrom("scheduling_rooms").selectAll().where("case_id", "=", caseId));
    return row && { caseId: row.case_id, roomId: row.room_id, read: JSON.parse(row.read_state) as ReadMark };
  }

  byRoom(roomId: string): SchedulingRoom | undefined {
    const row = this.db.first(this.db.q.selectFrom("scheduling_rooms").selectAll().where("room_id", "=", roomId));
    return row && { caseId: row.case_id, roomId: row.room_id, read: JSON.parse(row.read_state) as ReadMark };
  }

  all(): SchedulingRoom[] {
    return this.db.all(this.db.q.selectFrom("scheduling_rooms").selectAll())
      .map((row) => ({ caseId: row.case_id, roomId: row.room_id, read: JSON.parse(row.read_state) as ReadMark }));
  }

  setRead(roomId: string, read: ReadMark): void {
    this.db.run(this.db.q.updateTable("scheduling_rooms").set({ read_state: JSON.stringify(read) }).where("room_id", "=", roomId));
  }
}
