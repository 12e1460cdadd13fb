import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountKind } from "@onsafe/schema";
import { openStore, type Store } from "./database.ts";
import { prepared } from "./prepared.ts";

describe("prepared queries", () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "onsafe-prepared-"));
    store = await openStore(dir);
  });
  afterEach(() => {
    if (store.sqlite.open) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (localpart: string, kind: AccountKind) => ({
    user_id: `@${localpart}:x`, localpart, kind, password_hash: null, displayname: null, avatar_url: null, created_ts: 1, deactivated: 0,
  });

  it("binds each call's values, fields of an object argument included, next to the query's own constants", () => {
    const insert = prepared(store, (q, user: ReturnType<typeof row>) => q.insertInto("users").values(user));
    const byKind = prepared(store, (q, kind: AccountKind, after: string) => q.selectFrom("users").select("localpart")
      .where("kind", "=", kind).where("localpart", ">", after).where("deactivated", "=", 0).orderBy("localpart"));
    insert.run(row("a", "visitor"));
    insert.run(row("b", "visitor"));
    insert.run(row("c", "bot"));
    expect(byKind.all("visitor", "")).toEqual([{ localpart: "a" }, { localpart: "b" }]);
    expect(byKind.all("visitor", "a")).toEqual([{ localpart: "b" }]);
    expect(byKind.first("bot", "")).toEqual({ localpart: "c" });
    expect(byKind.first("companion", "")).toBeUndefined();
  });

  it("refuses an argument that is not used as a value, and a call whose object has other fields", () => {
    const unused = prepared(store, (q, _kind: string) => q.selectFrom("users").select("localpart"));
    expect(() => unused.all("visitor")).toThrow(/argument 0 is not used as a value/);
    const insert = prepared(store, (q, user: Record<string, string | number | null>) => q.insertInto("users").values(user as unknown as ReturnType<typeof row>));
    insert.run(row("a", "visitor"));
    const { deactivated: _, ...short } = row("b", "visitor");
    expect(() => insert.run(short)).toThrow(/fields of the first call/);
  });

  it("answers with a Matrix 503 once the store is closed", () => {
    const byKind = prepared(store, (q, kind: AccountKind) => q.selectFrom("users").select("localpart").where("kind", "=", kind));
    byKind.all("visitor");
    store.close();
    expect(() => byKind.all("visitor")).toThrow(expect.objectContaining({ status: 503, errcode: "M_UNKNOWN" }));
  });
});
