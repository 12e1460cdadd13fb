/**
 * The HMAC of Synapse's shared-secret registration (`/_synapse/admin/v1/register`):
 * the homeserver checks it, the admin CLI and the bots service sign with it.
 */
import { createHmac } from "node:crypto";

export function registrationMac(secret: string, parts: string[]): string {
  return createHmac("sha1", secret).update(parts.join("\0")).digest("hex");
}

/** The signed fields, in Synapse's order: nonce, username, password, admin flag, then user_type if any. */
export function registrationMacParts(nonce: string, username: string, password: string, admin: boolean, userType?: string): string[] {
  return [nonce, username, password, admin ? "admin" : "notadmin", ...(userType ? [userType] : [])];
}
