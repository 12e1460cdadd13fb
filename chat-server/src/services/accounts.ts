/** Users, devices and access tokens. Tokens are stored as SHA-256 hashes only. */
import { createHash } from "node:crypto";
import type { AccountKind } from "@onsafe/schema";
import { AccountsStore } from "../storage/accounts.ts";
import type { Store } from "../storage/database.ts";
import type { WriteContext, Writer } from "../storage/writer.ts";
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

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export class Accounts {
  private readonly rows: AccountsStore;

  constructor(
    store: Store,
    private readonly writer: Writer,
    private readonly deviceLists: DeviceLists,
    readonly serverName: string,
  ) {
    this.rows = new AccountsStore(store);
  }

  userId(localpart: string): string {
    return `@${localpart}:${this.serverName}`;
  }

  getUser(userId: string) {
    return this.rows.user(userId);
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
    return this.rows.kindOf(userId);
  }

  async createUser(input: { localpart: string; kind: AccountKind; password?: string; displayname?: string }): Promise<string> {
    const userId = this.userId(input.localpart);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.writer.write(() => {
      if (this.getUser(userId)) throw new MatrixError(400, "M_USER_IN_USE", "User ID already taken.");
      this.rows.insertUser({
        user_id: userId,
        localpart: input.localpart,
        kind: input.kind,
        password_hash: passwordHash,
        displayname: input.displayname ?? input.localpart,
        avatar_url: null,
        created_ts: Date.now(),
        deactivated: 0,
        active_day: input.kind === "visitor" ? dayOf(Date.now()) : null,
      });
      return userId;
    });
  }

  /**
   * Creates (or reuses) a device and issues a new access token for it. With
   * `maxDevices` (a visitor's), a new device past that many signs out the
   * user's oldest ones, as a logout would: a visitor's logins must not add
   * devices and keys without bound.
   */
  async issueToken(userId: string, deviceId?: string, displayName?: string, maxDevices?: number): Promise<LoginResult> {
    const token = `onsafe_${randomToken(32)}`;
    const device = deviceId ?? randomAlnum(10).toUpperCase();
    await this.writer.write((ctx) => {
      this.rows.insertDeviceIfNew({
        user_id: userId, device_id: device, display_name: displayName ?? null, created_ts: Date.now(),
      });
      if (maxDevices !== undefined) {
        const others = this.rows.deviceIdsOldestFirst(userId).filter((id) => id !== device);
        const over = others.length + 1 - maxDevices;
        if (over > 0) this.removeDevices(ctx, userId, others.slice(0, over));
      }
      // Logging in again as an existing device replaces that device's old tokens (spec: /login device_id).
      this.rows.deleteTokensOfDevice(userId, device);
      this.rows.insertToken({
        token_hash: hashToken(token), user_id: userId, device_id: device, created_ts: Date.now(),
      });
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
    const row = this.rows.sessionByTokenHash(hashToken(token));
    if (!row || row.deactivated) return undefined;
    return { userId: row.user_id, deviceId: row.device_id, kind: row.kind, tokenHash: row.token_hash };
  }

  listDevices(userId: string) {
    return this.rows.devices(userId);
  }

  getDevice(userId: string, deviceId: string) {
    return this.rows.device(userId, deviceId);
  }

  async renameDevice(userId: string, deviceId: string, displayName: string): Promise<void> {
    await this.writer.write(() => {
      if (this.rows.renameDevice(userId, deviceId, displayName) === 0) throw new MatrixError(404, "M_NOT_FOUND", "Unknown device");
    });
  }

  /**
   * Sets a new password; unless `keepOtherDevices`, every other device of the
   * user is logged out (the spec's default for `logout_devices`).
   */
  async changePassword(session: Session, newPassword: string, keepOtherDevices: boolean): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.writer.write(() => {
      this.rows.setPasswordHash(session.userId, passwordHash);
    });
    if (keepOtherDevices) return;
    const others = this.listDevices(session.userId).map((d) => d.device_id).filter((id) => id !== session.deviceId);
    if (others.length) await this.deleteDevices(session.userId, others);
  }

  /** Logs out one token's session: the device, its keys and its pending messages go too. */
  async logout(session: Session): Promise<void> {
    await this.deleteDevices(session.userId, [session.deviceId]);
  }

  /** Logs out every device of the session's user (`/logout/all`). */
  async logoutAll(session: Session): Promise<void> {
    await this.deleteDevices(session.userId, this.listDevices(session.userId).map((d) => d.device_id));
  }

  async deleteDevices(userId: string, deviceIds: string[]): Promise<void> {
    await this.writer.write((ctx) => this.removeDevices(ctx, userId, deviceIds));
  }

  /** Within a write: the devices go with their tokens, keys and inbox, and others' syncs hear the list changed. */
  private removeDevices(ctx: WriteContext, userId: string, deviceIds: string[]): void {
    for (const deviceId of deviceIds) this.rows.deleteDevice(userId, deviceId);
    this.deviceLists.recordChange(ctx, userId);
  }
}
