import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";

/** Issue 21, finding 2: 60 entries of 900 KB were accepted (54 MB in every initial sync of the account). */
describe("account data quota per account", () => {
  const env = serverWithAccounts({ triage: ["bot", BOT_LOCALPARTS.triage] }, { accountDataMaxEntries: 20 });

  const global = (a: Account, type: string) => `${v3}/user/${encodeURIComponent(a.userId)}/account_data/${type}`;
  const put = (a: Account, type: string, body: unknown) => env.server.request("PUT", global(a, type), { token: a.token, body });
  const rowsOf = (a: Account) => env.server.hs.store.sqlite.prepare("select type, length(content) n from account_data where user_id = ? order by type").all(a.userId);
  const big = (kb: number) => ({ blob: "x".repeat(kb * 1024) });

  it("keeps an account's account data to ONSAFE_ACCOUNT_DATA_MAX_BYTES (1 MiB): past it 413 M_TOO_LARGE and nothing written", async () => {
    const visitor = await env.server.registerVisitor();
    expect((await put(visitor, "org.example.a", big(900))).status).toBe(200);
    const before = rowsOf(visitor);
    expectError(await put(visitor, "org.example.b", big(900)), 413, "M_TOO_LARGE");
    expect(rowsOf(visitor)).toEqual(before);
    // Replacing an entry counts what it replaces: the same size again fits, and so does small data beside it.
    expect((await put(visitor, "org.example.a", big(900))).status).toBe(200);
    expect((await put(visitor, "m.secret_storage.default_key", { key: "k".repeat(10_000) })).status).toBe(200);
    expectError(await put(visitor, "org.example.a", big(1020)), 413, "M_TOO_LARGE");
    expect((await env.server.request("GET", global(visitor, "org.example.b"), { token: visitor.token })).status).toBe(404);
  });

  it("keeps an account's account data to ONSAFE_ACCOUNT_DATA_MAX_ENTRIES: past it 413 M_TOO_LARGE, and replacing one still works", async () => {
    const visitor = await env.server.registerVisitor();
    for (let i = 0; i < 20; i++) expect((await put(visitor, `org.example.n${i}`, { i })).status).toBe(200);
    expectError(await put(visitor, "org.example.one_more", { i: 21 }), 413, "M_TOO_LARGE");
    expect(rowsOf(visitor)).toHaveLength(20);
    expect((await put(visitor, "org.example.n3", { i: 33 })).status).toBe(200);
    // Another account has its own quota.
    expect((await put(env.triage, "org.example.one_more", { i: 1 })).status).toBe(200);
  });
});
