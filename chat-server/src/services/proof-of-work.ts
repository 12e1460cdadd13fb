/**
 * Proof of work (issue 21, docs/PROOF-OF-WORK.md): ALTCHA's classic SHA-256
 * challenge (altcha-lib/v1), made and checked here only. Challenges are signed
 * with a key made at each start (in memory, never stored) and expire after
 * ten minutes; they are stateless until solved. A solved one is accepted once:
 * its signature is remembered until it expires, at most `maxRemembered` at once.
 *
 * The client solves with `solveProofOfWork` of @onsafe/schema.
 */
import { randomBytes } from "node:crypto";
import { createChallenge, verifySolution } from "altcha-lib/v1";
import type { Payload } from "altcha-lib/v1/types";
import { MatrixError } from "@onsafe/matrix-basics";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE, type ProofOfWorkChallenge } from "@onsafe/schema";
import { ExpiringSet } from "./expiring-set.ts";

export interface ProofOfWorkOptions {
  /** ALTCHA's `maxnumber`: the solver tries on average half of it. */
  maxNumber: number;
  /** How long a challenge may be solved and used. */
  ttlMs: number;
  /**
   * Used challenges kept at once; when full the oldest is forgotten and could be
   * used once more before it expires: a replay gains at most one more use per
   * challenge solved, never more than was paid for twice over.
   */
  maxRemembered: number;
}

/** A base64 ALTCHA payload is about 300 characters; anything much longer is not one. */
const MAX_PAYLOAD_CHARS = 2048;

export class ProofOfWork {
  private readonly hmacKey = randomBytes(32).toString("base64url");
  private readonly used: ExpiringSet;

  constructor(private readonly options: ProofOfWorkOptions) {
    // A little longer than a challenge lives, so none is forgotten before it has expired.
    this.used = new ExpiringSet(options.ttlMs + 60_000, options.maxRemembered);
  }

  /** A fresh challenge (costs the server one hash and one HMAC; nothing is kept). */
  async challenge(): Promise<ProofOfWorkChallenge> {
    const made = await createChallenge({
      algorithm: "SHA-256",
      hmacKey: this.hmacKey,
      maxnumber: this.options.maxNumber,
      expires: new Date(Date.now() + this.options.ttlMs),
    });
    return { algorithm: "SHA-256", challenge: made.challenge, maxnumber: made.maxnumber ?? this.options.maxNumber, salt: made.salt, signature: made.signature };
  }

  /**
   * Whether `payload` (the client's base64 ALTCHA payload) solves a challenge of
   * this process that has not expired and was not used before; it is used
   * afterwards. Anything else, of any shape, is false.
   */
  async verify(payload: unknown): Promise<boolean> {
    const decoded = decodePayload(payload);
    if (!decoded || this.used.has(decoded.signature)) return false;
    let solved: boolean;
    try {
      solved = await verifySolution(decoded, this.hmacKey, true);
    } catch {
      return false;
    }
    // Checked again after the await: of two requests with the same payload at once, one wins.
    if (!solved || this.used.has(decoded.signature)) return false;
    this.used.add(decoded.signature);
    return true;
  }

  /** `/login`'s 401 when a guess must carry a solved challenge: nothing was checked or counted. */
  async required(message: string): Promise<MatrixError> {
    return new MatrixError(401, POW_REQUIRED_ERRCODE, message, { [PROOF_OF_WORK_STAGE]: { challenge: await this.challenge() } });
  }
}

function decodePayload(payload: unknown): Payload | undefined {
  if (typeof payload !== "string" || payload.length > MAX_PAYLOAD_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.algorithm !== "SHA-256" || typeof v.challenge !== "string" || typeof v.salt !== "string" || typeof v.signature !== "string") return undefined;
  if (typeof v.number !== "number" || !Number.isSafeInteger(v.number) || v.number < 0) return undefined;
  return { algorithm: "SHA-256", challenge: v.challenge, number: v.number, salt: v.salt, signature: v.signature };
}
