/**
 * The shared solver (@onsafe/schema's solveProofOfWork, @noble/hashes) against
 * ALTCHA's own challenges and checker (altcha-lib/v1), and against a hash
 * computed here with node:crypto: the reference the solver must agree with.
 */
import { createHash } from "node:crypto";
import { createChallenge, verifySolution } from "altcha-lib/v1";
import { describe, expect, it } from "vitest";
import { solveProofOfWork } from "@onsafe/schema";

const decode = (payload: string) => JSON.parse(Buffer.from(payload, "base64").toString("utf8"));

describe("solveProofOfWork", () => {
  it("finds the number altcha-lib hid, and altcha-lib accepts the payload", async () => {
    for (let i = 0; i < 5; i++) {
      const made = await createChallenge({ algorithm: "SHA-256", hmacKey: "k", maxnumber: 20_000, expires: new Date(Date.now() + 60_000) });
      const challenge = { algorithm: "SHA-256" as const, challenge: made.challenge, maxnumber: made.maxnumber!, salt: made.salt, signature: made.signature };
      const payload = await solveProofOfWork(challenge);
      expect(await verifySolution(payload, "k", true)).toBe(true);
    }
  });

  it("agrees with node:crypto on a fixed vector, including the largest number", async () => {
    const salt = "0f1e2d3c4b5a?expires=1999999999&";
    const challenge = createHash("sha256").update(`${salt}7777`).digest("hex");
    const payload = await solveProofOfWork({ algorithm: "SHA-256", challenge, maxnumber: 7777, salt, signature: "s" });
    expect(decode(payload)).toEqual({ algorithm: "SHA-256", challenge, number: 7777, salt, signature: "s" });
  });

  it("rejects a challenge with no solution up to maxnumber, and an aborted solve", async () => {
    const salt = "abc";
    const challenge = createHash("sha256").update(`${salt}5001`).digest("hex");
    await expect(solveProofOfWork({ algorithm: "SHA-256", challenge, maxnumber: 5000, salt, signature: "s" })).rejects.toThrow(/no solution/);
    await expect(solveProofOfWork({ algorithm: "SHA-256", challenge, maxnumber: 5000, salt, signature: "s" }, AbortSignal.abort())).rejects.toThrow();
  });
});
