/**
 * Proof of work (issue 21, docs/PROOF-OF-WORK.md) as the apps meet it: the
 * homeserver makes a visitor account only for a solved challenge, and after a
 * few wrong passwords from one address each further login must carry one.
 * The person sees nothing of it: the app asks, solves and sends again by itself.
 *
 * Solving takes a phone a fraction of a second of full CPU, so it runs in a Web
 * Worker: a frightened victim must see the app alive meanwhile (the opening
 * question takes answers while the account is made).
 */
import { type LoginRequest, type LoginResponse, type MatrixClient, MatrixError, type RegisterRequest, type RegisterResponse } from "matrix-js-sdk";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE, type ProofOfWorkChallenge, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema/proof-of-work";

/**
 * The payload for `challenge`, solved in a Web Worker (the schema's solver,
 * `proof-of-work.worker.ts`), or on this thread where no worker will start.
 */
export function solveInBackground(challenge: ProofOfWorkChallenge): Promise<string> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./proof-of-work.worker.ts", import.meta.url), { type: "module" });
  } catch {
    return solveProofOfWork(challenge);
  }
  return new Promise<string>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ payload?: string; error?: string }>) => {
      worker.terminate();
      if (typeof event.data.payload === "string") resolve(event.data.payload);
      else reject(new Error(event.data.error ?? "the proof-of-work worker gave no answer"));
    };
    // The worker's script did not load or run (an old browser, a blocked file): solve here instead.
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      solveProofOfWork(challenge).then(resolve, reject);
    };
    worker.postMessage(challenge);
  });
}

/**
 * `POST /register` through its user-interactive auth: asks for a challenge,
 * solves it, registers with it. A refused solution (expired, say) comes back
 * with a fresh challenge, which is solved and sent once more.
 */
export async function registerWithProof(client: MatrixClient, request: Omit<RegisterRequest, "auth">): Promise<RegisterResponse> {
  let asked: { session?: string; challenge: ProofOfWorkChallenge } | null;
  try {
    return await client.registerRequest(request);
  } catch (error) {
    asked = registrationChallenge(error);
    if (!asked) throw error;
  }
  for (let attempt = 1; ; attempt++) {
    performance.mark("onsafe:pow:asked");
    const payload = await solveInBackground(asked.challenge);
    performance.mark("onsafe:pow:solved");
    try {
      return await client.registerRequest({ ...request, auth: { type: PROOF_OF_WORK_STAGE, session: asked.session, payload } });
    } catch (error) {
      const next = attempt < 2 ? registrationChallenge(error) : null;
      if (!next) throw error;
      asked = { session: next.session ?? asked.session, challenge: next.challenge };
    }
  }
}

/** The challenge (and UIA session) of a 401 from `/register`, if it asks for proof of work. */
function registrationChallenge(error: unknown): { session?: string; challenge: ProofOfWorkChallenge } | null {
  if (!(error instanceof MatrixError) || error.httpStatus !== 401) return null;
  const challenge = proofOfWorkChallengeIn(error.data);
  if (!challenge) return null;
  return { session: typeof error.data.session === "string" ? error.data.session : undefined, challenge };
}

/**
 * Sends a password request (a login, or a password confirmation's auth dict)
 * through `send`; when the server asks for proof of work first (401
 * ORG.ONSAFE.POW_REQUIRED: this address guessed wrong a few times, a shared
 * address's others included), sends it once more with the challenge solved,
 * `send` adding `proof` to its body. Any other refusal (a wrong password, 429
 * wait) is thrown as it came.
 */
export async function withProofIfAsked<T>(send: (proof: Record<string, string>) => Promise<T>): Promise<T> {
  try {
    return await send({});
  } catch (error) {
    const challenge = error instanceof MatrixError && error.errcode === POW_REQUIRED_ERRCODE ? proofOfWorkChallengeIn(error.data) : undefined;
    if (!challenge) throw error;
    const payload = await solveInBackground(challenge);
    return send({ [PROOF_OF_WORK_STAGE]: payload });
  }
}

/** `POST /login`, with proof of work when the server asks for it (`withProofIfAsked`). */
export function loginWithProof(client: MatrixClient, request: LoginRequest): Promise<LoginResponse> {
  return withProofIfAsked((proof) => client.loginRequest({ ...request, ...proof }));
}

/** How long the server asks to wait before trying again (429 M_LIMIT_EXCEEDED), or null for any other error. */
export function waitAsked(error: unknown): number | null {
  if (!(error instanceof MatrixError) || !error.isRateLimitError()) return null;
  const retryAfter = error.data.retry_after_ms;
  return typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0;
}
