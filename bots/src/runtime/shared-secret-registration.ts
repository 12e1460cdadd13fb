/**
 * Shared-secret registration as a client, the way Synapse's
 * `register_new_matrix_user` does it, so it works against either server.
 * A Matrix client concern: the bots use it to create their own accounts
 * (login.ts), the admin CLI to create staff accounts.
 */
import { registrationMac, registrationMacParts } from "@onsafe/schema";

export interface NewAccount {
  baseUrl: string;
  sharedSecret: string;
  username: string;
  password: string;
  /** Account kind sent as Synapse's `user_type`; "admin" sets the admin flag instead. */
  kind: string;
  displayName?: string;
}

export async function registerWithSharedSecret(account: NewAccount): Promise<{ userId: string }> {
  const url = `${account.baseUrl.replace(/\/$/, "")}/_synapse/admin/v1/register`;
  const nonceReply = await fetch(url);
  if (!nonceReply.ok) throw new Error(`could not get a registration nonce (HTTP ${nonceReply.status})`);
  const { nonce } = (await nonceReply.json()) as { nonce: string };
  const admin = account.kind === "admin";
  const userType = admin ? undefined : account.kind;
  const mac = registrationMac(account.sharedSecret, registrationMacParts(nonce, account.username, account.password, admin, userType));
  const reply = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nonce, username: account.username, password: account.password, admin, user_type: userType, displayname: account.displayName, mac }),
  });
  const body = (await reply.json()) as { user_id?: string; access_token?: string; errcode?: string; error?: string };
  if (!reply.ok || !body.user_id) throw new Error(`registration refused: ${body.errcode ?? reply.status} ${body.error ?? ""}`.trim());
  // Registration logs the new account in; that session is not needed.
  if (body.access_token) {
    await fetch(`${account.baseUrl.replace(/\/$/, "")}/_matrix/client/v3/logout`, {
      method: "POST", headers: { authorization: `Bearer ${body.access_token}` },
    });
  }
  return { userId: body.user_id };
}
