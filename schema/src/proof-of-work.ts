/**
 * Proof of work (issue 21, docs/PROOF-OF-WORK.md): the homeserver asks for a
 * solved ALTCHA challenge (classic SHA-256, HMAC-signed, self-hosted; library
 * `altcha-lib`, its v1 API) before it creates a visitor account and before a
 * password guess from an address that has already guessed wrong a few times.
 *
 * This module is the one solver for the web app, the tests and the benchmarks
 * (it runs in Node and in the browser: WebCrypto only), so none of them can
 * drift from what the server accepts.
 */
import { solveChallenge } from "altcha-lib/v1";

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

/**
 * Solves a challenge with altcha-lib's solver and returns the payload the
 * server accepts (base64 of the JSON ALTCHA payload): for registration it is
 * `auth.payload`, for login the body's `"org.onsafe.pow"`. The solver tries on
 * average half of `maxnumber` hashes. Rejects when aborted or when no number
 * up to `maxnumber` solves it (a forged or mangled challenge).
 */
export async function solveProofOfWork(challenge: ProofOfWorkChallenge, signal?: AbortSignal): Promise<string> {
  if (!isProofOfWorkChallenge(challenge)) throw new Error("Not a proof-of-work challenge");
  signal?.throwIfAborted();
  const { promise, controller } = solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber);
  const abort = () => controller.abort();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    const solution = await promise;
    signal?.throwIfAborted();
    if (!solution) throw new Error("Proof-of-work challenge has no solution");
    const payload = {
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: solution.number,
      salt: challenge.salt,
      signature: challenge.signature,
    };
    return btoa(JSON.stringify(payload));
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}
