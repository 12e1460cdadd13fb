import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { botsTables } from "./index.ts";
import { openBotsStore } from "./store.ts";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe("bots.sqlite", () => {
  it("is owner-only, in WAL mode with full sync, and keeps what was written across a reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "onsafe-bots-"));
    dirs.push(dir);
    const store = await openBotsStore(dir);
    expect(statSync(join(dir, "bots.sqlite")).mode & 0o777).toBe(0o600);
    expect(store.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.sqlite.pragma("synchronous", { simple: true })).toBe(2);
    botsTables(store).staff.upsert({ userId: "@mina:t", kind: "companion", displayName: "Mina", languages: ["ko", "en"], capacity: 3 });
    store.close();

    const reopened = await openBotsStore(dir);
    expect(botsTables(reopened).staff.get("@mina:t")).toMatchObject({ languages: ["ko", "en"], capacity: 3, onShift: false });
    reopened.close();
  });
});
