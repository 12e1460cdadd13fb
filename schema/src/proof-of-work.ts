/**
 * Proof of work (issue 21, docs/PROOF-OF-WORK.md): the homeserver asks for a
 * solved ALTCHA challenge (classic SHA-256, HMAC-signed, self-hosted; library
 * `altcha-lib`, its v1 API) before it creates a visitor account and before a
 * password guess from an address that has already guessed wrong a few times.
 *
 * This module is the one solver for the web app, the tests and the benchmarks
 * (it runs in Node and in the browser), so none of them can drift from what the
 * server accepts.
 *
 * It hashes with @noble/hashes' synchronous SHA-256, not WebCrypto: one
 * `crypto.subtle.digest` call per try (altcha-lib's own solver) costs 20-150 µs
 * of promise and call overhead in Chromium for a 40-byte input, about 50 times
 * the hash itself, so a phone paid for the overhead while a native flood did not
 * (docs/PROOF-OF-WORK.md "Measured").
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "@noble/hashes/utils.js";

/** The user-interactive auth stage of `POST /register` (replaces m.login.dummy). */
export const PROOF_OF_WORK_STAGE = "org.onsafe.pow";

/**
 * The errcode of `POST /login` (401) when a guess from this address must carry
 * a solved challenge; the response has `{ "org.onsafe.pow": { challenge } }`
 * and the retry puts the payload at the body's `"org.onsafe.pow"`.
 */
export const POW_REQUIRED_ERRCODE = "ORG.ONSAFE.POW_REQUIRED";

/** An ALTCHA challenge as the homeserver sends it (altcha-lib/v1's `Challenge`). */
export interface ProofOfWorkChallenge {
  algorithm: "SHA-256";
  /** hex SHA-256 of `salt + number`, the number to find */
  challenge: string;
  /** the largest number the solver tries: the difficulty */
  maxnumber: number;
  /** random, with the expiry as a query (`…?expires=<unix s>&`) */
  salt: string;
  /** HMAC of `challenge` with the server's key */
  signature: string;
}

/** Whether a JSON value is a challenge this module can solve. */
export function isProofOfWorkChallenge(value: unknown): value is ProofOfWorkChallenge {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.algorithm === "SHA-256" &&
    typeof v.challenge === "string" &&
    typeof v.salt === "string" &&
    typeof v.signature === "string" &&
    typeof v.maxnumber === "number" &&
    Number.isSafeInteger(v.maxnumber) &&
    v.maxnumber > 0
  );
}

/**
 * The challenge in a homeserver's 401: `params["org.onsafe.pow"].challenge`
 * (registration's user-interactive auth) or `["org.onsafe.pow"].challenge`
 * (login's ORG.ONSAFE.POW_REQUIRED); undefined when there is none.
 */
export function proofOfWorkChallengeIn(body: unknown): ProofOfWorkChallenge | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const params = typeof b.params === "object" && b.params !== null ? (b.params as Record<string, unknown>) : {};
  for (const holder of [params[PROOF_OF_WORK_STAGE], b[PROOF_OF_WORK_STAGE]]) {
    if (typeof holder === "object" && holder !== null) {
      const challenge = (holder as Record<string, unknown>).challenge;
      if (isProofOfWorkChallenge(challenge)) return challenge;
    }
  }
  return undefined;
}

/** Tries between pauses in which an abort is noticed and the thread's other work (a Node test's server, say) runs. */
const TRIES_PER_SLICE = 4096;

/**
 * Solves a challenge and returns the payload the server accepts (base64 of the
 * JSON ALTCHA payload): for registration it is `auth.payload`, for login the
 * body's `"org.onsafe.pow"`. ALTCHA's rule: the number n in 0..maxnumber whose
 * SHA-256 of `salt + n` (hex) is `challenge`; it takes on average half of
 * `maxnumber` hashes. Rejects when aborted or when no number up to `maxnumber`
 * solves it (a forged or mangled challenge).
 */
export async function solveProofOfWork(challenge: ProofOfWorkChallenge, signal?: AbortSignal): Promise<string> {
  if (!isProofOfWorkChallenge(challenge) || !/^[0-9a-f]{64}$/i.test(challenge.challenge)) throw new Error("Not a proof-of-work challenge");
  const target = hexToBytes(challenge.challenge);
  const encoder = new TextEncoder();
  const salt = encoder.encode(challenge.salt);
  // salt, then the number's decimal digits (at most 16 for a safe integer)
  const input = new Uint8Array(salt.length + 16);
  input.set(salt);
  for (let start = 0; start <= challenge.maxnumber; start += TRIES_PER_SLICE) {
    signal?.throwIfAborted();
    const end = Math.min(challenge.maxnumber, start + TRIES_PER_SLICE - 1);
    for (let n = start; n <= end; n++) {
      const digits = encoder.encodeInto(String(n), input.subarray(salt.length)).written;
      if (equal(sha256(input.subarray(0, salt.length + digits)), target)) return payloadOf(challenge, n);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error("Proof-of-work challenge has no solution");
}

function payloadOf(challenge: ProofOfWorkChallenge, number: number): string {
  const { algorithm, salt, signature } = challenge;
  return btoa(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature }));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
