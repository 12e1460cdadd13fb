/** The partner directory's rows: organisations and public facts about them (docs/REFERRALS.md), decoded into `Partner`. */
import type { Selectable } from "kysely";
import type { PartnerKind, PartnersTable } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export interface Partner {
  id: string;
  kind: PartnerKind;
  name: { ko: string; en: string };
  /** What they do, told to the victim before consent. */
  about: { ko: string; en: string };
  region: string;
  languages: string[];
  hours: string;
  /** Phone or web, for the referral letter. */
  contact: string;
  /** Its staff accounts (kind partner); empty: the victim gets a letter. */
  staffIds: string[];
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What a supervisor may change. */
export type PartnerFields = Omit<Partner, "id" | "createdAt" | "updatedAt">;

export class PartnerStore {
  constructor(private readonly db: BotsStore) {}

  insert(p: Partner): void {
    this.db.run(this.db.q.insertInto("partners").values({ id: p.id, ...encode(p), created_at: p.createdAt, updated_at: p.updatedAt }));
  }

  byId(id: string): Partner | undefined {
    const row = this.db.first(this.db.q.selectFrom("partners").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  /** Active partners by kind, then English name. */
  active(): Partner[] {
    return this.db.all(this.db.q.selectFrom("partners").selectAll().where("active", "=", 1)
      .orderBy("kind").orderBy("name_en").orderBy("id")).map(decode);
  }

  /** The partners, active or not, that list `userId` among their staff. */
  withStaff(userId: string): Partner[] {
    // staff_ids is a JSON list, so the match is made on the decoded rows; partners are few.
    return this.db.all(this.db.q.selectFrom("partners").selectAll().orderBy("id")).map(decode).filter((p) => p.staffIds.includes(userId));
  }

  /** Replaces every changeable field. */
  update(id: string, fields: PartnerFields, at: number): void {
    this.db.run(this.db.q.updateTable("partners").set({ ...encode(fields), updated_at: at }).where("id", "=", id));
  }

  deactivate(id: string, at: number): void {
    this.db.run(this.db.q.updateTable("partners").set({ active: 0, updated_at: at }).where("id", "=", id).where("active", "=", 1));
  }
}

function encode(p: PartnerFields) {
  return {
    kind: p.kind,
    name_ko: p.name.ko,
    name_en: p.name.en,
    about_ko: p.about.ko,
    about_en: p.about.en,
    region: p.region,
    languages: JSON.stringify(p.languages),
    hours: p.hours,
    contact: p.contact,
    staff_ids: JSON.stringify(p.staffIds),
    active: p.active ? 1 : 0,
  };
}

function decode(r: Selectable<PartnersTable>): Partner {
  return {
    id: r.id,
    kind: r.kind,
    name: { ko: r.name_ko, en: r.name_en },
    about: { ko: r.about_ko, en: r.about_en },
    region: r.region,
    languages: JSON.parse(r.languages) as string[],
    hours: r.hours,
    contact: r.contact,
    staffIds: JSON.parse(r.staff_ids) as string[],
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
