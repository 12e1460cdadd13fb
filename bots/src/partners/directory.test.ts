import { beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../queue/test-fixture.ts";
import { botsTables, type BotsTables, openMemoryBotsStore } from "../storage/index.ts";
import { type PartnerInput, PartnerDirectory } from "./directory.ts";

let t: BotsTables;
let clock: FakeClock;
let partners: PartnerDirectory;

beforeEach(async () => {
  t = botsTables(await openMemoryBotsStore());
  clock = new FakeClock();
  partners = new PartnerDirectory(t, clock);
  t.staff.upsert({ userId: "@lawyer:test", kind: "partner", displayName: "Lawyer", languages: ["ko"], capacity: 0 });
  t.staff.upsert({ userId: "@mina:test", kind: "companion", displayName: "Mina", languages: ["ko"], capacity: 3 });
});

const legalAid: PartnerInput = {
  kind: "legal_aid",
  name: { ko: "법률구조센터", en: "Legal aid centre" },
  about: { ko: "무료 법률 상담", en: "Free legal advice and representation" },
  region: "Seoul",
  languages: ["ko", "en"],
  hours: "Mon-Fri 09:00-18:00",
  contact: "02-000-0000",
  staffIds: ["@lawyer:test"],
};

/** Every partner row, to show a refused write changed nothing. */
const rows = () => JSON.stringify(t.db.sqlite.prepare("select * from partners order by id").all());

function expectInvalid(write: () => unknown): void {
  const before = rows();
  expect(write).toThrow(expect.objectContaining({ errcode: "M_INVALID_PARAM", status: 400 }));
  expect(rows()).toBe(before);
}

describe("PartnerDirectory", () => {
  it("adds a partner, active, with a p- id, and lists it", () => {
    const p = partners.create(legalAid);
    expect(p.id).toMatch(/^p-[0-9a-z]{6}$/);
    expect(p).toMatchObject({ ...legalAid, active: true, createdAt: clock.now(), updatedAt: clock.now() });
    expect(partners.list()).toEqual([p]);
    expect(partners.get(p.id)).toEqual(p);
  });

  it("lists active partners by kind, then English name", () => {
    const b = partners.create({ ...legalAid, name: { ko: "나", en: "B legal" } });
    const a = partners.create({ ...legalAid, name: { ko: "가", en: "A legal" } });
    const clinic = partners.create({ ...legalAid, kind: "content_deletion", staffIds: [] });
    expect(partners.list().map((p) => p.id)).toEqual([clinic.id, a.id, b.id]);
  });

  it("trims texts and drops repeated languages and staff", () => {
    const p = partners.create({ ...legalAid, region: "  Busan ", languages: ["ko", "ko"], staffIds: ["@lawyer:test", "@lawyer:test"] });
    expect(p).toMatchObject({ region: "Busan", languages: ["ko"], staffIds: ["@lawyer:test"] });
  });

  it("changes the fields given and keeps the others", () => {
    const p = partners.create(legalAid);
    clock.advance(60_000);
    const changed = partners.update(p.id, { hours: "24/7", staffIds: [], region: undefined });
    expect(changed).toEqual({ ...p, hours: "24/7", staffIds: [], updatedAt: clock.now() });
    expect(partners.get(p.id)).toEqual(changed);
  });

  it("deactivates without deleting: gone from the list, still found by id, and can be brought back", () => {
    const p = partners.create(legalAid);
    clock.advance(1000);
    expect(partners.deactivate(p.id)).toMatchObject({ active: false, updatedAt: clock.now() });
    expect(partners.list()).toEqual([]);
    expect(partners.get(p.id).active).toBe(false);
    clock.advance(1000);
    expect(partners.deactivate(p.id).updatedAt).toBe(clock.now() - 1000);
    expect(partners.update(p.id, { active: true }).active).toBe(true);
    expect(partners.list().map((x) => x.id)).toEqual([p.id]);
  });

  it("refuses bad values and changes nothing", () => {
    const p = partners.create(legalAid);
    expectInvalid(() => partners.create({ ...legalAid, kind: "bakery" as never }));
    expectInvalid(() => partners.create({ ...legalAid, name: { ko: " ", en: "Legal aid" } }));
    expectInvalid(() => partners.create({ ...legalAid, about: { ko: "x".repeat(501), en: "x" } }));
    expectInvalid(() => partners.create({ ...legalAid, contact: "" }));
    expectInvalid(() => partners.create({ ...legalAid, hours: "x".repeat(201) }));
    expectInvalid(() => partners.create({ ...legalAid, languages: [] }));
    expectInvalid(() => partners.create({ ...legalAid, languages: ["Korean"] }));
    expectInvalid(() => partners.create({ ...legalAid, staffIds: ["@mina:test"] }));
    expectInvalid(() => partners.create({ ...legalAid, staffIds: ["@nobody:test"] }));
    expectInvalid(() => partners.update(p.id, { hours: "24/7", staffIds: ["@lawyer:test", "@mina:test"] }));
    expect(partners.get(p.id)).toEqual(p);
  });

  it("accepts texts at the limits", () => {
    const p = partners.create({ ...legalAid, name: { ko: "가".repeat(500), en: "x".repeat(500) }, region: "r".repeat(200) });
    expect(p.name.ko).toHaveLength(500);
  });

  it("answers M_NOT_FOUND for unknown ids and ids of another shape", () => {
    for (const id of ["p-000000", "c-000000", "p-ABCDEF", ""]) {
      expect(() => partners.get(id)).toThrow(expect.objectContaining({ errcode: "M_NOT_FOUND", status: 404 }));
      expect(() => partners.update(id, { hours: "24/7" })).toThrow(expect.objectContaining({ errcode: "M_NOT_FOUND" }));
      expect(() => partners.deactivate(id)).toThrow(expect.objectContaining({ errcode: "M_NOT_FOUND" }));
    }
  });
});
