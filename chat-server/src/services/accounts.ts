/** Users, devices and access tokens. Tokens are stored as SHA-256 hashes only. */
import { createHash } from "node:crypto";
import type { AccountKind } from "@onsafe/schema";
import type { Store } from "../storage/database.ts";
import { prepared } from "../storage/prepared.ts";
import type { Writer } from "../storage/writer.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { DeviceLists } from "./device-lists.ts";
import { dayOf } from "./visitor-activity.ts";
import { forbidden, MatrixError, randomAlnum, randomToken } from "@onsafe/matrix-basics";

export interface Session {
  userId: string;
  deviceId: string;
  kind: AccountKind;
  tokenHash: string;
}

export interface LoginResult {
  user_id: string;
  device_id: string;
  access_token: string;
  home_server: string;
}

/** Tables whose rows belong to one device and go when it is deleted. */
export const PER_DEVICE_TABLES = ["devices", "dehydrated_devices", "access_tokens", "device_keys", "one_time_keys", "fallback_keys", "to_device", "to_device_txns"] as const;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Every authenticated request looks its token up: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  session: prepared(store, (q, tokenHash: string) => q.selectFrom("access_tokens")
    .innerJoin("users", "users.user_id", "access_tokens.user_id")
    .select(["access_tokens.user_id", "access_tokens.device_id", "access_tokens.token_hash", "users.kind", "users.deactivated"])
    .where("access_tokens.token_hash", "=", tokenHash)),
});

export class Accounts {
  private readonly queries: ReturnType<typeof queries>;

  constructor(
    private readonly store: Store,
    private readonly writer: Writer,
    private readonly deviceLists: DeviceLists,
    readonly serverName: string,
  ) {
    this.queries = queries(store);
  }

  userId(localpart: string): string {
    return `@${localpart}:${this.serverName}`;
  }

  getUser(userId: string) {
    return this.store.first(this.store.q.selectFrom("users").selectAll().where("user_id", "=", userId));
  }

  /** Display name and avatar, as carried in member events. */
  profile(userId: string): { displayname?: string; avatar_url?: string } {
    const user = this.getUser(userId);
    const profile: { displayname?: string; avatar_url?: string } = {};
    if (user?.displayname) profile.displayname = user.displayname;
    if (user?.avatar_url) profile.avatar_url = user.avatar_url;
    return profile;
  }

  kindOf(userId: string): AccountKind | undefined {
    return this.store.first(this.store.q.selectFrom("users").select("kind").where("user_id", "=", userId))?.kind;
  }

  async createUser(input: { localpart: string; kind: AccountKind; password?: string; displayname?: string }): Promise<string> {
    const userId = this.userId(input.localpart);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.writer.write(() => {
      if (this.getUser(userId)) throw new MatrixError(400, "M_USER_IN_USE", "User ID already taken.");
      this.store.run(this.store.q.insertInto("users").values({
        user_id: userId,
        localpart: input.localpart,
        kind: input.kind,
        password_hash: passwordHash,
        displayname: input.displayname ?? input.localpart,
        avatar_url: null,
        created_ts: Date.now(),
        deactivated: 0,
        active_day: input.kind === "visitor" ? dayOf(Date.now()) : null,
      }));
      return userId;
    });
  }

  /** Creates (or reuses) a device and issues a new access token for it. */
  async issueToken(userId: string, deviceId?: string, displayName?: string): Promise<LoginResult> {
    const token = `onsafe_${randomToken(32)}`;
    const device = deviceId ?? randomAlnum(10).toUpperCase();
    await this.writer.write(() => {
      const q = this.store.q;
      this.store.run(q.insertInto("devices").values({
        user_id: userId, device_id: device, display_name: displayName ?? null, created_ts: Date.now(),
      }).onConflict((oc) => oc.columns(["user_id", "device_id"]).doNothing()));
      // Logging in again as an existing device replaces that device's old tokens (spec: /login device_id).
      this.store.run(q.deleteFrom("access_tokens").where("user_id", "=", userId).where("device_id", "=", device));
      this.store.run(q.insertInto("access_tokens").values({
        token_hash: hashToken(token), user_id: userId, device_id: device, created_ts: Date.now(),
      }));
    });
    return { user_id: userId, device_id: device, access_token: token, home_server: this.serverName };
  }

  /** Checks a password; the same error whether the user is unknown or the password wrong. */
  async checkPassword(userId: string, password: string): Promise<void> {
    const user = this.getUser(userId);
    const ok = user?.password_hash ? await verifyPassword(password, user.password_hash) : false;
    if (!user || !ok) throw forbidden("Invalid username or password");
    if (user.deactivated) throw new MatrixError(403, "M_USER_DEACTIVATED", "This account has been deactivated");
  }

  resolveToken(token: string): Session | undefined {
    const row = this.queries.session.first(hashToken(token));
    if (!row || row.deactivated) return undefined;
    return { userId: row.user_id, deviceId: row.device_id, kind: row.kind, tokenHash: row.token_hash };
  }

  listDevices(userId: string) {
    return this.store.all(this.store.q.selectFrom("devices").select(["device_id", "display_name"]).where("user_id", "=", userId));
  }

  getDevice(userId: string, deviceId: string) {
    return this.store.first(this.store.q.selectFrom("devices").select(["device_id", "display_name"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId));
  }

  async renameDevice(userId: string, deviceId: string, displayName: string): Promise<void> {
    await this.writer.write(() => {
      const result = this.store.run(this.store.q.updateTable("devices").set({ display_name: displayName })
        .where("user_id", "=", userId).where("device_id", "=", deviceId));
      if (result.changes === 0) throw new MatrixError(404, "M_NOT_FOUND", "Unknown device");
    });
  }

  /**
   * Sets a new password; unless `keepOtherDevices`, every other device of the
   * user is logged out (the spec's default for `logout_devices`).
   */
  async changePassword(session: Session, newPassword: string, keepOtherDevices: boolean): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.writer.write(() => {
      this.store.run(this.store.q.updateTable("users").set({ password_hash: passwordHash }).where("user_id", "=", session.userId));
    });
    if (keepOtherDevices) return;
    const others = this.listDevices(session.userId).map((d) => d.device_id).filter((id) => id !== session.deviceId);
    if (others.length) await this.deleteDevices(session.userId, others);
  }

  /** Logs out one token's session: the device, its keys and its pending messages go too. */
  async logout(session: Session): Promise<void> {
    await this.deleteDevices(session.userId, [session.deviceId]);
  }

  async deleteDevices(userId: string, deviceIds: string[]): Promise<void> {
    await this.writer.write((ctx) => {
      const q = this.store.q;
      for (const deviceId of deviceIds) {
        for (const table of PER_DEVICE_TABLES) {
          // Every table in the list has user_id and device_id columns.
          this.store.run(q.deleteFrom(table as "devices").where("user_id", "=", userId).where("device_id", "=", deviceId));
        }
        // The self-signing key's signature of the device, and the device's signature of the master key.
        this.store.run(q.deleteFrom("key_signatures").where((eb) => eb.or([
          eb.and([eb("target_user_id", "=", userId), eb("target_key_id", "=", deviceId)]),
          eb.and([eb("signer_user_id", "=", userId), eb("signer_key_id", "=", `ed25519:${deviceId}`)]),
        ])));
      }
      this.deviceLists.recordChange(ctx, userId);
    });
  }
}
