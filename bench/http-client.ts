/** A lean raw-HTTP Matrix client for the benchmarks: keep-alive sockets, no SDK. */
import { Agent, request } from "node:http";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, registrationMac, solveProofOfWork } from "@onsafe/schema";

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

export function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, {
      method,
      agent,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    }, (res) => {
      let text = "";
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => { try { resolve(JSON.parse(text)); } catch (error) { reject(error); } });
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** An anonymous visitor through the two-step registration: ask, solve the proof of work, register. */
export async function registerVisitor(url: string): Promise<{ user_id: string; access_token: string; device_id: string }> {
  const first = await call(url, "POST", "/_matrix/client/v3/register", undefined, {});
  const challenge = proofOfWorkChallengeIn(first);
  if (!challenge) throw new Error(`visitor registration asked for no proof of work: ${JSON.stringify(first)}`);
  const auth = { type: PROOF_OF_WORK_STAGE, session: first.session, payload: await solveProofOfWork(challenge) };
  return call(url, "POST", "/_matrix/client/v3/register", undefined, { auth });
}

/** The triage bot account, through shared-secret registration; keeps its access token. */
export async function registerTriageBot(url: string, sharedSecret: string): Promise<{ user_id: string; access_token: string }> {
  const username = BOT_LOCALPARTS.triage;
  const password = "benchmark-password";
  const { nonce } = await call(url, "GET", "/_synapse/admin/v1/register");
  return call(url, "POST", "/_synapse/admin/v1/register", undefined, {
    nonce, username, password, admin: false, user_type: "bot",
    mac: registrationMac(sharedSecret, [nonce, username, password, "notadmin", "bot"]),
  });
}

export function closeClient(): void {
  agent.destroy();
}
