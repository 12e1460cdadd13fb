import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { botsMigrations } from "@onsafe/schema";
import { describe, expect, it } from "vitest";

/**
 * Issue 19: a referral that ended in a letter was recorded `accepted` ("Accepted by the partner") though
 * nothing reached the partner. Migration 0005 renames those rows `letter_given`; hand-offs stay as they are.
 */
describe("migration 0005-letter-referrals", () => {
  it("renames letters recorded as accepted, and leaves accepted hand-offs and other statuses alone", async () => {
    const sqlite = new SQLite(":memory:");
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const migrator = new Migrator({ db, provider: botsMigrations });
    expect((await migrator.migrateTo("0004-referral-desks")).error).toBeUndefined();
    sqlite.prepare("insert into cases (id, room_id, visitor_id, status, created_at) values ('c-aaaaaa', '!r:t', '@v:t', 'closed', 1)").run();
    sqlite.prepare("insert into partners (id, kind, name_ko, name_en, about_ko, about_en, region, hours, contact, created_at, updated_at) values ('p-aaaaaa', 'other', 'ㄱ', 'A', 'ㄱ', 'A', 'Seoul', '9-18', '1', 1, 1)").run();
    const referral = sqlite.prepare("insert into referrals (id, case_id, partner_id, companion_id, status, items_offered, step, room_id, handoff_event_id, created_at) values (?, 'c-aaaaaa', 'p-aaaaaa', '@mina:t', ?, '[\"category\"]', 'done', ?, ?, 1)");
    referral.run("r-letter", "accepted", "!letter:t", null);
    referral.run("r-handed", "accepted", "!handed:t", "$handoff");
    referral.run("r-done00", "completed", "!done:t", null);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const statuses = Object.fromEntries((sqlite.prepare("select id, status from referrals").all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ "r-letter": "letter_given", "r-handed": "accepted", "r-done00": "completed" });
    sqlite.close();
  });
});
