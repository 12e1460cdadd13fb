/**
 * Accounts for the benchmarks that run real matrix-js-sdk clients against a
 * homeserver in another process: an anonymous visitor, or a staff member
 * created with the registration shared secret (as `npm run admin` does) and
 * logged in once. The shape is the tests' `Account`, which `SdkClient` takes.
 */
import type { Account } from "../chat-server/test/harness.ts";
import { registerWithSharedSecret } from "../bots/src/runtime/shared-secret-registration.ts";
import { PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";

async function post(url: string, path: string, body: unknown): Promise<any> {
  const reply = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return reply.json();
}

/** A new anonymous visitor (the two-step registration: ask, solve the proof of work, register). */
export async function visitorAccount(url: string): Promise<Account> {
  const first = await post(url, "/_matrix/client/v3/register", {});
  const challenge = proofOfWorkChallengeIn(first);
  if (!challenge) throw new Error(`visitor registration asked for no proof of work: ${JSON.stringify(first)}`);
  const auth = { type: PROOF_OF_WORK_STAGE, session: first.session, payload: await solveProofOfWork(challenge) };
  const reply = await post(url, "/_matrix/client/v3/register", { auth });
  if (!reply.access_token) throw new Error(`visitor registration refused: ${JSON.stringify(reply)}`);
  return { userId: reply.user_id, deviceId: reply.device_id, token: reply.access_token };
}

/** A new staff account (`kind` as the admin CLI takes it), logged in as a new device. */
export async function staffAccount(url: string, sharedSecret: string, kind: "companion" | "supervisor", username: string): Promise<Account> {
  const password = `bench-${username}-password`;
  await registerWithSharedSecret({ baseUrl: url, sharedSecret, username, password, kind });
  const reply = await post(url, "/_matrix/client/v3/login", { type: "m.login.password", identifier: { type: "m.id.user", user: username }, password });
  if (!reply.access_token) throw new Error(`${username} could not log in: ${JSON.stringify(reply)}`);
  return { userId: reply.user_id, deviceId: reply.device_id, token: reply.access_token };
}
