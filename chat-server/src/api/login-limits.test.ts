/**
 * The limit on password guesses at `/login` (issue 21). The server knows a
 * client by its address: each test sends from its own loopback address
 * (127.0.0.x, all of which reach a server on 127.0.0.1).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";
import { type Reply, TestServer } from "../../test/harness.ts";

const PASSWORD = "correct horse battery";

/** A JSON POST sent from `localAddress`, so the server sees that client address. */
function postFrom(server: TestServer, localAddress: string, path: string, body: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(server.url + path, {
      method: "POST", localAddress, agent: false,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)) },
    }, (res) => {
      let text = "";
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: new Headers() }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

describe("login guesses", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  const login = (from: string, user: string, password: string, proof?: string) =>
    postFrom(server, from, "/_matrix/client/v3/login", { type: "m.login.password", identifier: { type: "m.id.user", user }, password, [PROOF_OF_WORK_STAGE]: proof });

  /** Waits out the 429 `reply` asked for. */
  const waitOut = (reply: Reply) => new Promise((r) => setTimeout(r, reply.body.retry_after_ms + 20));

  it("reserves each guess before verifying it: of 60 sent at once only the limit's 10 are verified, and the right password sent next is refused unverified", async () => {
    const account = await server.createAccount("companion", "concurrent-target", PASSWORD);
    const verify = vi.spyOn(server.hs.accounts, "checkPassword");
    try {
      const wrong = Array.from({ length: 60 }, (_, i) => login("127.0.0.2", account.userId, `wrong-guess-${i}`));
      // The limit is reached once 10 guesses are being verified: the right password comes after them.
      await vi.waitFor(() => expect(verify.mock.calls.length).toBeGreaterThanOrEqual(10));
      const right = await login("127.0.0.2", account.userId, PASSWORD);
      const statuses = (await Promise.all(wrong)).map((reply) => reply.status);
      expect(right.status).toBe(429);
      expect(right.body.errcode).toBe("M_LIMIT_EXCEEDED");
      expect(statuses.filter((s) => s === 403)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50);
      expect(verify).toHaveBeenCalledTimes(10);
    } finally {
      verify.mockRestore();
    }
  });

  it("never locks an account because of others' guesses: 20 wrong passwords for a bot's and a companion's id from one address, then the right ones from another get in", async () => {
    const bot = await server.createAccount("bot", "locked-bot", PASSWORD);
    const companion = await server.createAccount("companion", "locked-companion", PASSWORD);
    for (const target of [bot, companion]) {
      const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login("127.0.0.3", target.userId, `wrong-guess-${i}`)));
      expect(guesses.every((reply) => reply.status === 403 || reply.status === 429)).toBe(true);
      expect(guesses.some((reply) => reply.status === 429)).toBe(true);
    }
    const stillGuessing = await login("127.0.0.3", bot.userId, PASSWORD);
    expect(stillGuessing.status).toBe(429);
    for (const target of [bot, companion]) {
      const right = await login("127.0.0.4", target.userId, PASSWORD);
      expect(right.status).toBe(200);
      expect(right.body.user_id).toBe(target.userId);
    }
  });

  it("slows one address's guesses with a wait that doubles with each failure after the first three", async () => {
    const account = await server.createAccount("companion", "backoff-target", PASSWORD);
    // Past three failures a guess also needs a solved challenge (the next test); this one brings them.
    const guess = async () => {
      const reply = await login("127.0.0.5", account.userId, "wrong-guess");
      const challenge = proofOfWorkChallengeIn(reply.body);
      return challenge ? login("127.0.0.5", account.userId, "wrong-guess", await solveProofOfWork(challenge)) : reply;
    };
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(403);
    const first = await guess();
    expect(first.status).toBe(429);
    expect(first.body.retry_after_ms).toBeGreaterThan(0);
    expect(first.body.retry_after_ms).toBeLessThanOrEqual(1000);
    await waitOut(first);
    expect((await guess()).status).toBe(403);
    const second = await guess();
    expect(second.status).toBe(429);
    expect(second.body.retry_after_ms).toBeGreaterThan(1000);
    expect(second.body.retry_after_ms).toBeLessThanOrEqual(2000);
    // The right password waits too: the address is slowed, not the account.
    expect((await login("127.0.0.5", account.userId, PASSWORD)).status).toBe(429);
    expect((await login("127.0.0.6", account.userId, PASSWORD)).status).toBe(200);
  });

  it("after three wrong passwords asks for a solved challenge before checking a guess: without one 401 ORG.ONSAFE.POW_REQUIRED, the password unchecked; with one the right password gets in", async () => {
    const account = await server.createAccount("companion", "proof-target", PASSWORD);
    for (let i = 0; i < 3; i++) expect((await login("127.0.0.7", account.userId, `wrong-guess-${i}`)).status).toBe(403);
    // The wait comes first, before any proof is asked for.
    const wait = await login("127.0.0.7", account.userId, PASSWORD);
    expect(wait.status).toBe(429);
    await waitOut(wait);
    const verify = vi.spyOn(server.hs.accounts, "checkPassword");
    try {
      const asked = await login("127.0.0.7", account.userId, PASSWORD);
      expect(asked.status).toBe(401);
      expect(asked.body.errcode).toBe(POW_REQUIRED_ERRCODE);
      expect(typeof asked.body.error).toBe("string");
      const challenge = proofOfWorkChallengeIn(asked.body)!;
      expect(challenge).toBeDefined();
      // A bad proof is refused the same way, with a fresh challenge; neither counts as a wrong password.
      const bad = await login("127.0.0.7", account.userId, PASSWORD, btoa(JSON.stringify({ ...challenge, number: 1 })));
      expect(bad.status).toBe(401);
      expect(bad.body.errcode).toBe(POW_REQUIRED_ERRCODE);
      expect(proofOfWorkChallengeIn(bad.body)!.signature).not.toBe(challenge.signature);
      expect(verify).not.toHaveBeenCalled();
      const payload = await solveProofOfWork(challenge);
      const right = await login("127.0.0.7", account.userId, PASSWORD, payload);
      expect(right.status).toBe(200);
      expect(right.body.user_id).toBe(account.userId);
      expect(verify).toHaveBeenCalledTimes(1);
      // A proof is good for one guess.
      const reused = await login("127.0.0.7", account.userId, PASSWORD, payload);
      expect(reused.body.errcode).toBe(POW_REQUIRED_ERRCODE);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });
});
