/** Case rows: stored with ids, enums and timestamps only; decoded into `CaseRow`. */
import type { Selectable, Updateable } from "kysely";
import type { CaseOutcome, CasesTable, CaseStatus, HarmCategory, ImageState, Language, RiskLevel, ThreatDeadline } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export interface CaseRow {
  id: string;
  roomId: string;
  visitorId: string;
  status: CaseStatus;
  language: Language | null;
  category: HarmCategory | null;
  images: ImageState | null;
  deadline: ThreatDeadline | null;
  minor: boolean | null;
  risk: RiskLevel | null;
  crisis: boolean;
  priority: number;
  /** The triage bot's own state, as it saved it (ids only). */
  triageState: unknown;
  notedEventIds: string[];
  createdAt: number;
  queuedAt: number | null;
  assignedTo: string | null;
  assignedAt: number | null;
  handedOffAt: number | null;
  closedAt: number | null;
  outcome: CaseOutcome | null;
  queueNoticeEventId: string | null;
  lastPosition: number | null;
  lastWaitMinutes: number | null;
  /** The victim's earlier case, when they agreed the new counsellor may know of it (docs/CRISIS.md "Returning victims"). */
  previousCaseId: string | null;
}

export type CasePatch = Partial<Omit<CaseRow, "id" | "roomId" | "visitorId" | "createdAt">>;

/** Statuses of a case that is in the queue (not yet with a companion). */
export const QUEUED_STATUSES = ["waiting", "offered"] as const satisfies readonly CaseStatus[];

export class CaseStore {
  constructor(private readonly db: BotsStore) {}

  insert(row: Pick<CaseRow, "id" | "roomId" | "visitorId" | "language" | "createdAt">): void {
    this.db.run(this.db.q.insertInto("cases").values({
      id: row.id,
      room_id: row.roomId,
      visitor_id: row.visitorId,
      status: "triage",
      language: row.language,
      crisis: 0,
      priority: 0,
      noted_event_ids: "[]",
      created_at: row.createdAt,
    }));
  }

  byId(id: string): CaseRow | undefined {
    const row = this.db.first(this.db.q.selectFrom("cases").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  byRoom(roomId: string): CaseRow | undefined {
    const row = this.db.first(this.db.q.selectFrom("cases").selectAll().where("room_id", "=", roomId));
    return row && decode(row);
  }

  /** Cases waiting or offered, in queue order: crisis first, then priority, then who came first (docs/QUEUE.md). */
  queued(): CaseRow[] {
    return this.db.all(this.db.q.selectFrom("cases").selectAll()
      .where("status", "in", QUEUED_STATUSES)
      .orderBy("crisis", "desc").orderBy("priority", "desc").orderBy("queued_at", "asc").orderBy("id", "asc"))
      .map(decode);
  }

  /** Open cases with a companion: assigned and not closed. */
  assigned(): CaseRow[] {
    return this.db.all(this.db.q.selectFrom("cases").selectAll().where("status", "=", "assigned")).map(decode);
  }

  /** One companion's open cases (index `cases_assigned`), oldest assignment first. */
  assignedTo(userId: string): CaseRow[] {
    return this.db.all(this.db.q.selectFrom("cases").selectAll()
      .where("assigned_to", "=", userId).where("status", "=", "assigned").orderBy("assigned_at", "asc"))
      .map(decode);
  }

  /** Open assigned cases per companion. */
  assignedCounts(): Map<string, number> {
    const rows = this.db.all(this.db.q.selectFrom("cases").select(["assigned_to", (e) => e.fn.countAll<number>().as("n")])
      .where("status", "=", "assigned").groupBy("assigned_to"));
    return new Map(rows.map((r) => [r.assigned_to ?? "", r.n]));
  }

  /** Open crisis cases still in triage (not yet queued), oldest first. */
  crisisInTriage(): CaseRow[] {
    return this.db.all(this.db.q.selectFrom("cases").selectAll().where("crisis", "=", 1).where("status", "=", "triage")
      .orderBy("created_at", "asc").orderBy("id", "asc")).map(decode);
  }

  /** Open crisis cases (in triage, queued or assigned). */
  openCrisisCount(): number {
    const row = this.db.first(this.db.q.selectFrom("cases").select((e) => e.fn.countAll<number>().as("n"))
      .where("crisis", "=", 1).where("status", "!=", "closed"));
    return row?.n ?? 0;
  }

  /** Queue waits (assigned_at − queued_at) of the latest assignments since `since`, newest first. */
  recentWaits(since: number, limit: number): number[] {
    return this.db.all(this.db.q.selectFrom("cases").select(["queued_at", "assigned_at"])
      .where("assigned_at", ">=", since).where("queued_at", "is not", null)
      .orderBy("assigned_at", "desc").limit(limit))
      .map((r) => (r.assigned_at ?? 0) - (r.queued_at ?? 0));
  }

  /** Closing times of cases closed since `since`. */
  closedSince(since: number): number[] {
    return this.db.all(this.db.q.selectFrom("cases").select("closed_at").where("closed_at", ">=", since))
      .map((r) => r.closed_at ?? 0);
  }

  /** The visitor's latest closed case other than `exceptId` (index `cases_visitor`): a returning victim's earlier chat. */
  latestClosedOf(visitorId: string, exceptId: string): CaseRow | undefined {
    const row = this.db.first(this.db.q.selectFrom("cases").selectAll()
      .where("visitor_id", "=", visitorId).where("status", "=", "closed").where("id", "!=", exceptId)
      .orderBy("closed_at", "desc").orderBy("id", "desc").limit(1));
    return row && decode(row);
  }

  update(id: string, patch: CasePatch): void {
    this.db.run(this.db.q.updateTable("cases").set(encode(patch)).where("id", "=", id));
  }
}

function decode(r: Selectable<CasesTable>): CaseRow {
  return {
    id: r.id,
    roomId: r.room_id,
    visitorId: r.visitor_id,
    status: r.status,
    language: r.language,
    category: r.category,
    images: r.images,
    deadline: r.deadline,
    minor: r.minor === null ? null : r.minor === 1,
    risk: r.risk,
    crisis: r.crisis === 1,
    priority: r.priority,
    triageState: r.triage_state === null ? null : JSON.parse(r.triage_state),
    notedEventIds: JSON.parse(r.noted_event_ids) as string[],
    createdAt: r.created_at,
    queuedAt: r.queued_at,
    assignedTo: r.assigned_to,
    assignedAt: r.assigned_at,
    handedOffAt: r.handed_off_at,
    closedAt: r.closed_at,
    outcome: r.outcome,
    queueNoticeEventId: r.queue_notice_event_id,
    lastPosition: r.last_position,
    lastWaitMinutes: r.last_wait_minutes,
    previousCaseId: r.previous_case_id,
  };
}

const COLUMNS = {
  status: "status",
  language: "language",
  category: "category",
  images: "images",
  deadline: "deadline",
  minor: "minor",
  risk: "risk",
  crisis: "crisis",
  priority: "priority",
  triageState: "triage_state",
  notedEventIds: "noted_event_ids",
  queuedAt: "queued_at",
  assignedTo: "assigned_to",
  assignedAt: "assigned_at",
  handedOffAt: "handed_off_at",
  closedAt: "closed_at",
  outcome: "outcome",
  queueNoticeEventId: "queue_notice_event_id",
  lastPosition: "last_position",
  lastWaitMinutes: "last_wait_minutes",
  previousCaseId: "previous_case_id",
} as const satisfies Record<keyof CasePatch, keyof CasesTable>;

function encode(patch: CasePatch): Updateable<CasesTable> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch) as [keyof CasePatch, unknown][]) {
    if (value === undefined) continue;
    out[COLUMNS[key]] = encodeValue(key, value);
  }
  return out as Updateable<CasesTable>;
}

function encodeValue(key: keyof CasePatch, value: unknown): unknown {
  switch (key) {
    case "minor": return value === null ? null : value ? 1 : 0;
    case "crisis": return value ? 1 : 0;
    case "triageState": return value === null ? null : JSON.stringify(value);
    case "notedEventIds": return JSON.stringify(value);
    default: return value;
  }
}
