import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/**
 * Issue 21, finding 2: `POST /user/{userId}/filter` stored any number of filters,
 * each up to the 1 MiB body limit and read again at every sync that names it.
 * Now an account keeps at most ONSAFE_MAX_FILTERS_PER_ACCOUNT of them, each at
 * most ONSAFE_FILTER_MAX_BYTES: past either 413 M_TOO_LARGE, nothing stored.
 */
describe("filters per account", () => {
  const env = serverWithAccounts({ triage: ["bot", BOT_LOCALPARTS.triage] }, { maxFiltersPerAccount: 5, filterMaxBytes: 1024 });

  const create = (a: Account, filter: unknown) => env.server.request("POST", `/_matrix/client/v3/user/${encodeURIComponent(a.userId)}/filter`, { token: a.token, body: filter });
  const rowsOf = (a: Account) => env.server.hs.store.sqlite.prepare("select filter_id, filter_json from filters where user_id = ? order by filter_id").all(a.userId);
  const limit = (n: number) => ({ room: { timeline: { limit: n } } });

  it("keeps at most ONSAFE_MAX_FILTERS_PER_ACCOUNT: past it 413 M_TOO_LARGE and none stored; the same filter again still gets its id", async () => {
    const visitor = await env.server.registerVisitor();
    for (let i = 0; i < 5; i++) expect((await create(visitor, limit(i + 1))).body).toEqual({ filter_id: String(i) });
    const before = rowsOf(visitor);
    expectError(await create(visitor, limit(6)), 413, "M_TOO_LARGE");
    expect(rowsOf(visitor)).toEqual(before);
    // matrix-js-sdk uploads the same filter at each start: that is no new filter.
    expect((await create(visitor, limit(3))).body).toEqual({ filter_id: "2" });
    // Another account has its own count.
    expect((await create(env.triage, limit(6))).status).toBe(200);
  });

  it("refuses a filter over ONSAFE_FILTER_MAX_BYTES with 413 M_TOO_LARGE, storing nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const big = { room: { not_rooms: Array.from({ length: 60 }, (_, i) => `!room${i}:localhost`) } };
    expect(JSON.stringify(big).length).toBeGreaterThan(1024);
    expectError(await create(visitor, big), 413, "M_TOO_LARGE");
    expect(rowsOf(visitor)).toEqual([]);
    expect((await create(visitor, limit(1))).status).toBe(200);
  });
});
