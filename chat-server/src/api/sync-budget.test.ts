import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";

/**
 * Issue 21, "Done when": ten initial syncs at once, again and again, each carrying
 * a visitor's megabyte of account data, held everyone's /versions at p99 30 s.
 * A visitor's sync answers weigh at most ONSAFE_VISITOR_SYNC_BYTES_PER_10S.
 */
describe("the weight of a visitor's /sync answers", () => {
  const env = serverWithAccounts({ triage: ["bot", BOT_LOCALPARTS.triage] }, { visitorSyncBytesPer10s: 500_000 });
  const sync = (a: Account, since?: string) => env.server.request("GET", `${v3}/sync${since ? `?since=${since}` : ""}`, { token: a.token });
  const fill = (a: Account) =>
    env.server.request("PUT", `${v3}/user/${encodeURIComponent(a.userId)}/account_data/org.example.big`, { token: a.token, body: { blob: "x".repeat(200_000) } });

  it("stops a visitor's syncs once the window's bytes are sent: 429 with retry_after_ms, before any work", async () => {
    const visitor = await env.server.registerVisitor();
    expect((await fill(visitor)).status).toBe(200);
    // 200 KB each: the first three fit under 500 KB counted before each (the third crosses it), then refused.
    for (let i = 0; i < 3; i++) expect((await sync(visitor)).status).toBe(200);
    const refused = await sync(visitor);
    expectError(refused, 429, "M_LIMIT_EXCEEDED");
    expect(refused.body.retry_after_ms).toBeGreaterThan(0);
    expect(refused.body.retry_after_ms).toBeLessThanOrEqual(10_000);
    // A token from long ago carries all the account data again: it counts the same.
    expectError(await sync(visitor, "s0"), 429, "M_LIMIT_EXCEEDED");
  });

  it("counts each visitor on their own, and never limits staff or bots", async () => {
    const first = await env.server.registerVisitor();
    const second = await env.server.registerVisitor();
    expect((await fill(first)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await sync(first)).status).toBe(200);
    expectError(await sync(first), 429, "M_LIMIT_EXCEEDED");
    expect((await sync(second)).status).toBe(200);
    expect((await fill(env.triage)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await sync(env.triage)).status).toBe(200);
  });

  it("leaves an honest visitor's syncs alone: a start and 60 syncs after it weigh a few KB", async () => {
    const visitor = await env.server.registerVisitor();
    const first = await sync(visitor);
    expect(first.status).toBe(200);
    let since = first.body.next_batch as string;
    let bytes = JSON.stringify(first.body).length;
    for (let i = 0; i < 60; i++) {
      const next = await sync(visitor, since);
      expect(next.status).toBe(200);
      bytes += JSON.stringify(next.body).length;
      since = next.body.next_batch;
    }
    expect(bytes).toBeLessThan(50_000);
  });
});
