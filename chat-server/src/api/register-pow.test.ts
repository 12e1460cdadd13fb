/**
 * Sign-up costs a solved proof-of-work challenge (issue 21, "Nobody honest
 * turned away"; docs/PROOF-OF-WORK.md), where m.login.dummy let a script make
 * accounts for nothing and a hard 20 an hour per address refused everyone
 * behind one address after the 20th.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";
import { configFromEnv } from "../config.ts";
import { expectError, TEST_POW_MAX_NUMBER, TestServer } from "../../test/harness.ts";

const REGISTER = "/_matrix/client/v3/register";

describe("sign-up with a proof of work", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  /** A 401's session and its challenge, solved. */
  async function solved() {
    const ask = await server.request("POST", REGISTER, { body: {} });
    return { session: ask.body.session as string, payload: await solveProofOfWork(proofOfWorkChallengeIn(ask.body)!) };
  }

  it("signs up at the default difficulty: no proof gets the challenge in the 401, a solved one the account", async () => {
    const defaults = await TestServer.start({ powMaxNumber: configFromEnv({}).powMaxNumber });
    try {
      const ask = await defaults.request("POST", REGISTER, { body: {} });
      expect(ask.status).toBe(401);
      expect(ask.body.flows).toEqual([{ stages: [PROOF_OF_WORK_STAGE] }]);
      expect(typeof ask.body.session).toBe("string");
      const challenge = proofOfWorkChallengeIn(ask.body)!;
      expect(challenge).toMatchObject({ algorithm: "SHA-256", maxnumber: 20_000 });
      expect(ask.body.params[PROOF_OF_WORK_STAGE].challenge).toEqual(challenge);
      expect(defaults.count("users")).toBe(0);
      const payload = await solveProofOfWork(challenge);
      const done = await defaults.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, session: ask.body.session, payload } } });
      expect(done.status).toBe(200);
      expect(done.body.user_id).toMatch(/^@v-/);
    } finally {
      await defaults.close();
    }
  });

  it("refuses m.login.dummy, a missing, wrong or forged payload, creating no one, and offers a fresh challenge each time", async () => {
    const before = server.count("users");
    const ask = await server.request("POST", REGISTER, { body: {} });
    const challenge = proofOfWorkChallengeIn(ask.body)!;
    const dummy = await server.request("POST", REGISTER, { body: { auth: { type: "m.login.dummy", session: ask.body.session } } });
    expectError(dummy, 401, "M_UNRECOGNIZED");
    expect(dummy.body.flows).toEqual([{ stages: [PROOF_OF_WORK_STAGE] }]);

    const good = JSON.parse(atob(await solveProofOfWork(challenge)));
    const wrongNumber = btoa(JSON.stringify({ ...good, number: good.number + 1 }));
    // Its own challenge for a number it chose, with a signature the server never made.
    const forged = btoa(JSON.stringify({ ...good, signature: "0".repeat(64) }));
    for (const payload of [undefined, "", "not base64 !", btoa("[1,2]"), btoa(JSON.stringify({ ...good, algorithm: "SHA-1" })), wrongNumber, forged, 12, { ...good }]) {
      const refused = await server.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, session: ask.body.session, payload } } });
      expectError(refused, 401, "M_FORBIDDEN");
      const fresh = proofOfWorkChallengeIn(refused.body)!;
      expect(fresh.signature).not.toBe(challenge.signature);
      expect(typeof refused.body.session).toBe("string");
    }
    expect(server.count("users")).toBe(before);
  });

  it("accepts a solved challenge once: the same payload again is refused, nothing created", async () => {
    const { session, payload } = await solved();
    expect((await server.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, session, payload } } })).status).toBe(200);
    const before = server.count("users");
    const again = await server.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, session, payload } } });
    expectError(again, 401, "M_FORBIDDEN");
    // Sent twice at once, one wins.
    const twice = await solved();
    const both = await Promise.all([0, 1].map(() => server.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, ...twice } } })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(server.count("users")).toBe(before + 1);
  });

  it("refuses a challenge solved after it expired (10 minutes)", async () => {
    const { session, payload } = await solved();
    const before = server.count("users");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10 * 60 * 1000 + 1000 });
    try {
      expectError(await server.request("POST", REGISTER, { body: { auth: { type: PROOF_OF_WORK_STAGE, session, payload } } }), 401, "M_FORBIDDEN");
    } finally {
      vi.useRealTimers();
    }
    expect(server.count("users")).toBe(before);
  });

  it("lets 100 people sign up at once from one address (a shelter, carrier-grade NAT, a surge)", async () => {
    const surge = await TestServer.start();
    try {
      expect(surge.config.visitorRegistrationsPerWindow).toBeGreaterThanOrEqual(100);
      expect(surge.config.powMaxNumber).toBe(TEST_POW_MAX_NUMBER);
      const proofs = await Promise.all(Array.from({ length: 100 }, () => surge.registrationProof()));
      const replies = await Promise.all(proofs.map((auth) => surge.request("POST", REGISTER, { body: { auth } })));
      expect(replies.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(new Set(replies.map((r) => r.body.user_id)).size).toBe(100);
    } finally {
      await surge.close();
    }
  });
});
