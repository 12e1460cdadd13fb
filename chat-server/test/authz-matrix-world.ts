/**
 * The world the authorization matrix runs in: one account of each kind (the
 * callers), a host bot that builds fresh rooms for each cell, and two peers
 * with keys — one sharing a room with every caller, one sharing none — so a
 * user-scoped route can be tried "shares a room with the target" and not.
 * Everything is built with valid requests over HTTP, like any client would.
 */
import { type AccountKind, BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, type Reply, TestServer } from "./harness.ts";
import { type Signed, SigningKey } from "./signing-key.ts";

/** The columns of the matrix: no token, then each account kind. */
export const CALLER_KINDS = ["none", ...(["visitor", "companion", "supervisor", "partner", "bot", "admin"] as const satisfies readonly AccountKind[])] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];
export type MemberKind = Exclude<CallerKind, "none">;

export const PASSWORD = "correct horse battery";

/** MSC3814's unstable prefix: dehydrated devices are not under `/_matrix/client/v3`. */
export const DEHYDRATED_DEVICE = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

/** A caller: its kind and, unless it is `none`, its account (with the password it logs in with). */
export interface Caller {
  kind: CallerKind;
  account?: Account;
}

export interface CrossSigningKeys {
  master: SigningKey;
  self: SigningKey;
  user: SigningKey;
}

/** A fresh room built for one cell, and the events in it a request may name. */
export interface CellRoom {
  roomId: string;
  /** A message by the host, visible to the caller when the caller is joined. */
  hostEvent: string;
  /** Joined at power level 0: someone to kick or ban. */
  bystander: Account;
}

export class World {
  readonly callers = new Map<CallerKind, Caller>();
  private crossSigning = new Map<string, CrossSigningKeys>();
  private counter = 0;

  private constructor(
    readonly server: TestServer,
    /** A bot (not the triage bot, which is a caller) that creates rooms: bots may invite every kind. */
    readonly host: Account,
    /** A companion whom staff invite in the invite rows. */
    readonly invitee: Account,
    /** Shares a room with every caller. */
    readonly peer: Account,
    /** Shares a room with nobody, ever. */
    readonly loner: Account,
    /** Joined at power level 0 to every cell's room: someone to kick or ban. */
    readonly bystander: Account,
    /** A bot other than the triage bot: visitors may not invite it. */
    readonly scheduling: Account,
    /** A visitor who is no caller: only bots may invite visitors. */
    readonly visitor: Account,
  ) {}

  static async build(): Promise<World> {
    const server = await TestServer.start({ visitorRegistrationsPerWindow: 10_000, visitorSendsPerMinute: 1_000_000, visitorEphemeralPerMinute: 1_000_000, visitorMaxRooms: 1000 });
    const host = await server.createAccount("bot", BOT_LOCALPARTS.referral, PASSWORD);
    const staff = (name: string) => server.createAccount("companion", name, PASSWORD);
    const world = new World(server, host, await staff("invitee"), await staff("peer"), await staff("loner"), await staff("bystander"),
      await server.createAccount("bot", BOT_LOCALPARTS.scheduling, PASSWORD), await server.registerVisitor(PASSWORD));
    world.callers.set("none", { kind: "none" });
    for (const kind of CALLER_KINDS) {
      if (kind === "none") continue;
      const username = kind === "bot" ? BOT_LOCALPARTS.triage : `caller-${kind}`;
      const account = kind === "visitor" ? await server.registerVisitor(PASSWORD) : await server.createAccount(kind, username, PASSWORD);
      world.callers.set(kind, { kind, account });
    }
    for (const target of [world.peer, world.loner]) await world.equipTarget(target);
    // Up front, so cells built side by side never race to upload a caller's first keys.
    for (const account of world.memberAccounts()) await world.crossSigningOf(account);
    const shared = await world.room(undefined, "none");
    for (const account of [world.peer, ...world.memberAccounts()]) await world.joinAs(shared.roomId, account);
    return world;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  memberAccounts(): Account[] {
    return [...this.callers.values()].flatMap((c) => c.account ? [c.account] : []);
  }

  /** A fresh suffix for names, transaction ids and key ids. */
  unique(): string {
    return `${Date.now().toString(36)}${(this.counter++).toString(36)}`;
  }

  async call(account: Account | undefined, method: string, path: string, body?: unknown): Promise<Reply> {
    const reply = await this.server.request(method, `/_matrix/client/v3${path}`, { token: account?.token, body });
    return reply;
  }

  /** A set-up request that must succeed; returns its body. */
  async must(account: Account, method: string, path: string, body?: unknown): Promise<any> {
    const reply = await this.call(account, method, path, body);
    if (reply.status !== 200) throw new Error(`set-up ${method} ${path} failed: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    return reply.body;
  }

  /**
   * A fresh encrypted room made by the host, with a bystander joined at power
   * level 0 and a message. The caller gets the creator's power level (100) so
   * that the cells show account-kind and membership policy, not power levels;
   * `membership` says how far the caller is in: not at all, invited, joined, or joined and left.
   */
  async room(caller: Account | undefined, membership: "none" | "invite" | "join" | "leave", preset: "private_chat" | "public_chat" = "private_chat"): Promise<CellRoom> {
    const bystander = this.bystander;
    const users: Record<string, number> = { [this.host.userId]: 100 };
    if (caller) users[caller.userId] = 100;
    const { room_id: roomId } = await this.must(this.host, "POST", "/createRoom", {
      preset,
      invite: [bystander.userId],
      initial_state: [ENCRYPTION],
      power_level_content_override: { users },
    });
    await this.must(bystander, "POST", `/rooms/${roomId}/join`, {});
    if (caller && membership !== "none") {
      await this.must(this.host, "POST", `/rooms/${roomId}/invite`, { user_id: caller.userId });
      if (membership !== "invite") await this.must(caller, "POST", `/rooms/${roomId}/join`, {});
      if (membership === "leave") await this.must(caller, "POST", `/rooms/${roomId}/leave`, {});
    }
    const hostEvent = await this.sendEncrypted(this.host, roomId);
    return { roomId, hostEvent, bystander };
  }

  async joinAs(roomId: string, account: Account): Promise<void> {
    if (account.userId !== this.host.userId) await this.must(this.host, "POST", `/rooms/${roomId}/invite`, { user_id: account.userId });
    await this.must(account, "POST", `/rooms/${roomId}/join`, {});
  }

  async sendEncrypted(account: Account, roomId: string): Promise<string> {
    const body = await this.must(account, "PUT", `/rooms/${roomId}/send/m.room.encrypted/${this.unique()}`, megolm());
    return body.event_id;
  }

  /** A second device of `account`, from a password login, for routes that end a session. */
  async secondDevice(account: Account): Promise<Account> {
    const reply = await this.server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: account.userId }, password: PASSWORD },
    });
    if (reply.status !== 200) throw new Error(`login failed: ${JSON.stringify(reply.body)}`);
    return { userId: reply.body.user_id, deviceId: reply.body.device_id, token: reply.body.access_token };
  }

  /** A new account of `kind`, for requests that end the account or all its sessions. */
  async throwaway(kind: MemberKind): Promise<Account> {
    if (kind === "visitor") return this.server.registerVisitor(PASSWORD);
    return this.server.createAccount(kind, `spare-${kind}-${this.unique()}`, PASSWORD);
  }

  /** The UIA `auth` dict that confirms `account`'s identity with its password. */
  passwordAuth(account: Account) {
    return { type: "m.login.password", identifier: { type: "m.id.user", user: account.userId }, password: PASSWORD };
  }

  /** Cross-signing keys for `account`, uploaded once. */
  async crossSigningOf(account: Account): Promise<CrossSigningKeys> {
    const known = this.crossSigning.get(account.userId);
    if (known) return known;
    const keys = { master: new SigningKey(), self: new SigningKey(), user: new SigningKey() };
    await this.must(account, "POST", "/keys/device_signing/upload", {
      master_key: crossKey(account, "master", keys.master),
      self_signing_key: keys.master.sign(crossKey(account, "self_signing", keys.self), account.userId),
      user_signing_key: keys.master.sign(crossKey(account, "user_signing", keys.user), account.userId),
      auth: this.passwordAuth(account),
    });
    this.crossSigning.set(account.userId, keys);
    return keys;
  }

  private media?: string;

  /** An `mxc://` URI of a file the peer uploaded (as into a room the caller shares). */
  async mediaId(): Promise<string> {
    if (!this.media) {
      // An image, so that the thumbnail row reaches the access check (other types have no thumbnail: 400).
      const reply = await this.server.request("POST", "/_matrix/media/v3/upload", { token: this.peer.token, raw: new Uint8Array([9, 9, 9]), headers: { "content-type": "image/png" } });
      if (reply.status !== 200) throw new Error(`upload failed: ${JSON.stringify(reply.body)}`);
      this.media = reply.body.content_uri as string;
    }
    return this.media;
  }

  /** Keys a request under test uploads for `account`, so later rows sign with them. */
  rememberCrossSigning(account: Account, keys: CrossSigningKeys): void {
    this.crossSigning.set(account.userId, keys);
  }

  /** A new current key-backup version for `account`, holding one session key; returns the version. */
  async backup(account: Account): Promise<{ version: string; roomId: string; sessionId: string }> {
    const { version } = await this.must(account, "POST", "/room_keys/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "abc" } });
    const roomId = `!backup${this.unique()}:localhost`;
    const sessionId = `session${this.unique()}`;
    await this.must(account, "PUT", `/room_keys/keys/${roomId}/${sessionId}?version=${version}`, backupKey());
    return { version, roomId, sessionId };
  }

  /**
   * A `PUT dehydrated_device` body (MSC3814) for a new dehydrated device of
   * `account`: a fresh device id, its self-signed keys and one one-time key.
   */
  dehydratedDeviceBody(account: Account): { deviceId: string; body: Record<string, unknown> } {
    const deviceId = `DEHYDRATED${this.unique()}`.toUpperCase();
    const key = new SigningKey();
    const keys = key.sign({
      user_id: account.userId,
      device_id: deviceId,
      algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
      keys: { [`curve25519:${deviceId}`]: "curvekey", [`ed25519:${deviceId}`]: key.publicKey },
      dehydrated: true,
    }, account.userId, `ed25519:${deviceId}`);
    return {
      deviceId,
      body: {
        device_id: deviceId,
        device_data: { algorithm: "m.dehydration.v2", device_pickle: "opaque", nonce: "n" },
        initial_device_display_name: "Dehydrated device",
        device_keys: keys,
        one_time_keys: { [`signed_curve25519:${deviceId}`]: { key: "otk", signatures: {} } },
      },
    };
  }

  /** A new dehydrated device of `account` (replacing any it had), with a to-device message waiting for it; returns its id. */
  async dehydrate(account: Account): Promise<string> {
    const { deviceId, body } = this.dehydratedDeviceBody(account);
    const reply = await this.server.request("PUT", DEHYDRATED_DEVICE, { token: account.token, body });
    if (reply.status !== 200) throw new Error(`set-up PUT dehydrated_device failed: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    await this.must(this.host, "PUT", `/sendToDevice/m.room.encrypted/${this.unique()}`, { messages: { [account.userId]: { [deviceId]: { algorithm: "m.olm.v1.curve25519-aes-sha2", ciphertext: {} } } } });
    return deviceId;
  }

  private peerDehydrated?: Promise<string>;

  /** The peer's dehydrated device, made once: someone else's, for the `out` cells. */
  peerDehydratedDevice(): Promise<string> {
    this.peerDehydrated ??= this.dehydrate(this.peer);
    return this.peerDehydrated;
  }

  /** Device keys, one-time keys, cross-signing and a profile, so every key and profile route finds something. */
  private async equipTarget(account: Account): Promise<void> {
    const deviceKey = new SigningKey();
    const oneTimeKeys = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`signed_curve25519:K${i}`, { key: `otk${i}`, signatures: {} }]));
    await this.must(account, "POST", "/keys/upload", { device_keys: deviceKeys(account, deviceKey), one_time_keys: oneTimeKeys });
    await this.crossSigningOf(account);
    await this.must(account, "PUT", `/profile/${account.userId}/displayname`, { displayname: `Target ${account.userId}` });
    await this.must(account, "PUT", `/profile/${account.userId}/avatar_url`, { avatar_url: "mxc://localhost/avatar" });
  }
}

export function megolm(): Record<string, unknown> {
  return { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "AwgAEnAA", sender_key: "key", session_id: "session", device_id: "DEVICE" };
}

export function backupKey(): Record<string, unknown> {
  return { first_message_index: 0, forwarded_count: 0, is_verified: true, session_data: { ephemeral: "e", ciphertext: "c", mac: "m" } };
}

export function deviceKeys(account: Account, key: SigningKey): Signed {
  return key.sign({
    user_id: account.userId,
    device_id: account.deviceId,
    algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
    keys: { [`curve25519:${account.deviceId}`]: "curvekey", [`ed25519:${account.deviceId}`]: key.publicKey },
  }, account.userId, `ed25519:${account.deviceId}`);
}

export function crossKey(account: Account, usage: string, key: SigningKey): Signed {
  return { user_id: account.userId, usage: [usage], keys: { [`ed25519:${key.publicKey}`]: key.publicKey } };
}
