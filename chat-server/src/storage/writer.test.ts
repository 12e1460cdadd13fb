import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "./database.ts";
import { Writer } from "./writer.ts";

describe("group-commit writer", () => {
  let dir: string;
  let store: Store;
  let wakes: { users: string[]; position: number }[];
  let writer: Writer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "onsafe-writer-"));
    store = await openStore(dir);
    wakes = [];
    writer = new Writer(store, (users, _rooms, position) => wakes.push({ users: [...users], position }));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: string) => writer.write((ctx) => {
    const pos = ctx.nextPos();
    store.run(store.q.insertInto("device_list_changes").values({ stream_pos: pos, user_id: id }));
    ctx.wakeUsers([id]);
    return pos;
  });

  it("commits writes of one turn together, gives a failed write's positions back, and wakes once after commit", async () => {
    const results = await Promise.allSettled([
      insert("@a:x"),
      writer.write((ctx) => { ctx.nextPos(); ctx.wakeUsers(["@bad:x"]); throw new Error("refused"); }),
      insert("@b:x"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([1, 2]);
    expect(wakes).toEqual([{ users: ["@a:x", "@b:x"], position: 2 }]);
    expect(writer.current).toBe(2);
    const rows = store.all(store.q.selectFrom("device_list_changes").select(["stream_pos", "user_id"]).orderBy("stream_pos"));
    expect(rows).toEqual([{ stream_pos: 1, user_id: "@a:x" }, { stream_pos: 2, user_id: "@b:x" }]);
  });

  it("keeps the position across a reopen", async () => {
    await insert("@a:x");
    await insert("@b:x");
    store.close();
    store = await openStore(dir);
    writer = new Writer(store, () => {});
    expect(writer.current).toBe(2);
    expect(await insert("@c:x")).toBe(3);
  });

  it("commits what is waiting when closed, then refuses new writes with a Matrix error", async () => {
    const waiting = insert("@a:x");
    writer.close();
    expect(store.all(store.q.selectFrom("device_list_changes").select("user_id"))).toEqual([{ user_id: "@a:x" }]);
    expect(await waiting).toBe(1);
    await expect(insert("@b:x")).rejects.toMatchObject({ status: 503, errcode: "M_UNKNOWN" });
  });
});
