import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "../../test/harness.ts";

/**
 * Issue 21, "Done when": one visitor asking again the moment it was refused made
 * 2,200 refusals a second and held everyone's /versions at p99 1.2 s. A 429 is
 * answered after ONSAFE_REFUSAL_DELAY_MS (or its retry_after_ms, if shorter).
 */
const DELAY_MS = 3000;
let server: TestServer;
let visitor: Account;

beforeAll(async () => {
  server = await TestServer.start({ refusalDelayMs: DELAY_MS, visitorSendsPerMinute: 3 });
  visitor = await server.registerVisitor();
});
afterAll(async () => { await server.close(); });

/** A write that spends the visitor's send budget (account data, as a script filling it would). */
const send = (n: string) => server.request("PUT", `/_matrix/client/v3/user/${encodeURIComponent(visitor.userId)}/account_data/org.example.${n}`, { token: visitor.token, body: { n } });

describe("a refusal for being over a limit", () => {
  it("is answered only after the pause, so a script retrying at once asks about once per pause", async () => {
    // The budget (3 a minute) is spent by the writes before the refused one.
    let started = Date.now();
    let refused = await send("t0");
    for (let i = 1; refused.status === 200 && i < 10; i++) {
      started = Date.now();
      refused = await send(`t${i}`);
    }
    const took = Date.now() - started;
    expectError(refused, 429, "M_LIMIT_EXCEEDED");
    expect(refused.body.retry_after_ms).toBeGreaterThan(DELAY_MS);
    // A lower bound only: a busy machine can make it later, never earlier.
    expect(took).toBeGreaterThanOrEqual(DELAY_MS - 50);
  });

  it("without a token is paced too, but the 401 that starts sign-up is answered at once", async () => {
    let started = Date.now();
    const tokenless = await server.request("PUT", `/_matrix/client/v3/user/${encodeURIComponent(visitor.userId)}/account_data/org.example.x`, { body: {} });
    expectError(tokenless, 401, "M_MISSING_TOKEN");
    expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 50);
    started = Date.now();
    const signUp = await server.request("POST", "/_matrix/client/v3/register", { body: {} });
    expect(signUp.status).toBe(401);
    expect(signUp.body.flows).toBeDefined();
    // Generous: an unpaced answer takes milliseconds; a paced one would take the whole pause.
    expect(Date.now() - started).toBeLessThan(DELAY_MS - 50);
  });
});
