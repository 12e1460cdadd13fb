/**
 * End-to-end encryption keys: device keys (stored exactly as uploaded),
 * one-time and fallback keys, cross-signing keys and the signatures on them.
 * Changes are recorded as device-list changes in the global stream.
 */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { badJson, invalidParam } from "../http/errors.ts";
import { isObject, type JsonObject } from "../http/json.ts";
import type { Session } from "./accounts.ts";
import type { DeviceLists } from "./device-lists.ts";
import type { Memberships } from "./memberships.ts";

export const CROSS_SIGNING_TYPES = ["master", "self_signing", "user_signing"] as const;
export type CrossSigningType = (typeof CROSS_SIGNING_TYPES)[number];
const MAX_KEYS_PER_UPLOAD = 200;

export interface KeyUpload {
  deviceKeys?: JsonObject;
  oneTimeKeys?: JsonObject;
  fallbackKeys?: JsonObject;
}

export class Keys {
  constructor(
    private readonly store: Store,
    private readonly writer: Writer,
    private readonly deviceLists: DeviceLists,
    private readonly memberships: Memberships,
  ) {}

  async upload(session: Session, upload: KeyUpload): Promise<Record<string, number>> {
    const { userId, deviceId } = session;
    if (upload.deviceKeys) assertDeviceKeys(upload.deviceKeys, userId, deviceId);
    const oneTime = keyEntries(upload.oneTimeKeys, "one_time_keys");
    const fallback = keyEntries(upload.fallbackKeys, "fallback_keys");
    const q = this.store.q;
    await this.writer.write((ctx) => {
      if (upload.deviceKeys) {
        const json = JSON.stringify(upload.deviceKeys);
        const existing = this.store.first(q.selectFrom("device_keys").select("key_json").where("user_id", "=", userId).where("device_id", "=", deviceId));
        if (existing?.key_json !== json) {
          this.store.run(q.insertInto("device_keys").values({ user_id: userId, device_id: deviceId, key_json: json })
            .onConflict((oc) => oc.columns(["user_id", "device_id"]).doUpdateSet({ key_json: json })));
          this.deviceLists.recordChange(ctx, userId);
        }
      }
      for (const [keyId, algorithm, json] of oneTime) {
        this.store.run(q.insertInto("one_time_keys").values({ user_id: userId, device_id: deviceId, key_id: keyId, algorithm, key_json: json })
          .onConflict((oc) => oc.columns(["user_id", "device_id", "key_id"]).doNothing()));
      }
      for (const [keyId, algorithm, json] of fallback) {
        const values = { key_id: keyId, key_json: json, used: 0 };
        this.store.run(q.insertInto("fallback_keys").values({ user_id: userId, device_id: deviceId, algorithm, ...values })
          .onConflict((oc) => oc.columns(["user_id", "device_id", "algorithm"]).doUpdateSet(values)));
      }
    });
    return this.oneTimeKeyCounts(userId, deviceId);
  }

  oneTimeKeyCounts(userId: string, deviceId: string): Record<string, number> {
    const counts: Record<string, number> = { signed_curve25519: 0 };
    const rows = this.store.all(this.store.q.selectFrom("one_time_keys").select((eb) => ["algorithm", eb.fn.countAll<number>().as("n")])
      .where("user_id", "=", userId).where("device_id", "=", deviceId).groupBy("algorithm"));
    for (const row of rows) counts[row.algorithm] = Number(row.n);
    return counts;
  }

  unusedFallbackKeyTypes(userId: string, deviceId: string): string[] {
    return this.store.all(this.store.q.selectFrom("fallback_keys").select("algorithm")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("used", "=", 0)).map((r) => r.algorithm);
  }

  /** Visitors may see the keys only of people they share a room with. */
  mayQuery(session: Session, userId: string): boolean {
    return session.kind !== "visitor" || this.memberships.sharesRoom(session.userId, userId);
  }

  query(session: Session, request: Record<string, string[]>): JsonObject {
    const q = this.store.q;
    const deviceKeys: JsonObject = {};
    const masterKeys: JsonObject = {};
    const selfSigningKeys: JsonObject = {};
    const userSigningKeys: JsonObject = {};
    for (const [userId, wanted] of Object.entries(request)) {
      if (!this.mayQuery(session, userId)) continue;
      let rows = this.store.all(q.selectFrom("device_keys")
        .leftJoin("devices", (join) => join.onRef("devices.user_id", "=", "device_keys.user_id").onRef("devices.device_id", "=", "device_keys.device_id"))
        .select(["device_keys.device_id", "device_keys.key_json", "devices.display_name"])
        .where("device_keys.user_id", "=", userId));
      if (wanted.length) rows = rows.filter((r) => wanted.includes(r.device_id));
      const devices: JsonObject = {};
      for (const row of rows) {
        const keys = this.withSignatures(JSON.parse(row.key_json) as JsonObject, userId, row.device_id, session.userId);
        if (row.display_name) keys.unsigned = { ...(isObject(keys.unsigned) ? keys.unsigned : {}), device_display_name: row.display_name };
        devices[row.device_id] = keys;
      }
      deviceKeys[userId] = devices;
      for (const key of this.crossSigningKeys(userId)) {
        const json = this.withSignatures(JSON.parse(key.key_json) as JsonObject, userId, key.public_key, session.userId);
        if (key.key_type === "master") masterKeys[userId] = json;
        else if (key.key_type === "self_signing") selfSigningKeys[userId] = json;
        else if (userId === session.userId) userSigningKeys[userId] = json;
      }
    }
    return { device_keys: deviceKeys, master_keys: masterKeys, self_signing_keys: selfSigningKeys, user_signing_keys: userSigningKeys, failures: {} };
  }

  /** Claims one one-time key per device (the fallback key when none are left). */
  async claim(session: Session, request: Record<string, Record<string, string>>): Promise<JsonObject> {
    const q = this.store.q;
    return this.writer.write(() => {
      const result: JsonObject = {};
      for (const [userId, devices] of Object.entries(request)) {
        if (!this.mayQuery(session, userId)) continue;
        const claimed: JsonObject = {};
        for (const [deviceId, algorithm] of Object.entries(devices)) {
          const key = this.store.first(q.selectFrom("one_time_keys").select(["key_id", "key_json"])
            .where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm).orderBy("key_id").limit(1));
          if (key) {
            this.store.run(q.deleteFrom("one_time_keys").where("user_id", "=", userId).where("device_id", "=", deviceId).where("key_id", "=", key.key_id));
            claimed[deviceId] = { [key.key_id]: JSON.parse(key.key_json) };
            continue;
          }
          const fallback = this.store.first(q.selectFrom("fallback_keys").select(["key_id", "key_json"])
            .where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm));
          if (!fallback) continue;
          this.store.run(q.updateTable("fallback_keys").set({ used: 1 }).where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm));
          claimed[deviceId] = { [fallback.key_id]: JSON.parse(fallback.key_json) };
        }
        if (Object.keys(claimed).length) result[userId] = claimed;
      }
      return { one_time_keys: result, failures: {} };
    });
  }

  crossSigningKeys(userId: string) {
    return this.store.all(this.store.q.selectFrom("cross_signing_keys").selectAll().where("user_id", "=", userId));
  }

  hasMasterKey(userId: string): boolean {
    return this.crossSigningKeys(userId).some((k) => k.key_type === "master");
  }

  async uploadCrossSigning(userId: string, keys: Partial<Record<CrossSigningType, JsonObject>>): Promise<void> {
    const parsed = Object.entries(keys).map(([type, key]) => [type as CrossSigningType, key!, crossSigningPublicKey(key!, userId, type)] as const);
    await this.writer.write((ctx) => {
      for (const [type, key, publicKey] of parsed) {
        const values = { public_key: publicKey, key_json: JSON.stringify(key) };
        this.store.run(this.store.q.insertInto("cross_signing_keys").values({ user_id: userId, key_type: type, ...values })
          .onConflict((oc) => oc.columns(["user_id", "key_type"]).doUpdateSet(values)));
      }
      this.deviceLists.recordChange(ctx, userId);
    });
  }

  /**
   * Stores signatures on devices and cross-signing keys. Unknown targets are
   * reported in `failures`; the signatures themselves are checked by clients.
   */
  async uploadSignatures(session: Session, body: JsonObject): Promise<JsonObject> {
    const failures: JsonObject = {};
    const rows: { target_user_id: string; target_key_id: string; signer_user_id: string; signer_key_id: string; signature: string }[] = [];
    const changedUsers = new Set<string>();
    for (const [targetUser, targets] of Object.entries(body)) {
      if (!isObject(targets)) throw badJson("Each user's entry must be an object");
      for (const [keyId, signed] of Object.entries(targets)) {
        if (!isObject(signed) || !isObject(signed.signatures)) throw badJson("Each signed object needs 'signatures'");
        const mine = signed.signatures[session.userId];
        const known = this.mayQuery(session, targetUser) && this.keyExists(targetUser, keyId);
        if (!known || !isObject(mine)) {
          ((failures[targetUser] ??= {}) as JsonObject)[keyId] = { errcode: "M_NOT_FOUND", error: "Unknown key or no signature by you" };
          continue;
        }
        for (const [signerKeyId, signature] of Object.entries(mine)) {
          if (typeof signature !== "string") throw badJson("Signatures must be strings");
          rows.push({ target_user_id: targetUser, target_key_id: keyId, signer_user_id: session.userId, signer_key_id: signerKeyId, signature });
        }
        changedUsers.add(targetUser);
      }
    }
    await this.writer.write((ctx) => {
      for (const row of rows) {
        this.store.run(this.store.q.insertInto("key_signatures").values(row)
          .onConflict((oc) => oc.columns(["target_user_id", "target_key_id", "signer_user_id", "signer_key_id"]).doUpdateSet({ signature: row.signature })));
      }
      for (const userId of changedUsers) this.deviceLists.recordChange(ctx, userId);
    });
    return failures;
  }

  private keyExists(userId: string, keyId: string): boolean {
    const q = this.store.q;
    return !!this.store.first(q.selectFrom("device_keys").select("device_id").where("user_id", "=", userId).where("device_id", "=", keyId))
      || this.crossSigningKeys(userId).some((k) => k.public_key === keyId);
  }

  /** Adds uploaded signatures; signatures by others on a user's keys are shown only to the signer. */
  private withSignatures(keys: JsonObject, userId: string, keyId: string, viewer: string): JsonObject {
    const rows = this.store.all(this.store.q.selectFrom("key_signatures").selectAll()
      .where("target_user_id", "=", userId).where("target_key_id", "=", keyId));
    if (!rows.length) return keys;
    const signatures = structuredClone(isObject(keys.signatures) ? keys.signatures : {}) as Record<string, JsonObject>;
    for (const row of rows) {
      if (row.signer_user_id !== userId && row.signer_user_id !== viewer) continue;
      (signatures[row.signer_user_id] ??= {})[row.signer_key_id] = row.signature;
    }
    return { ...keys, signatures };
  }
}

function assertDeviceKeys(keys: JsonObject, userId: string, deviceId: string): void {
  if (keys.user_id !== userId || keys.device_id !== deviceId) throw invalidParam("device_keys must be for your own user and device");
  if (!Array.isArray(keys.algorithms) || !isObject(keys.keys) || !isObject(keys.signatures)) {
    throw badJson("device_keys needs 'algorithms', 'keys' and 'signatures'");
  }
}

/** [keyId, algorithm, json] for each uploaded key; ids are "algorithm:id". */
function keyEntries(keys: JsonObject | undefined, field: string): [string, string, string][] {
  if (!keys) return [];
  const entries = Object.entries(keys);
  if (entries.length > MAX_KEYS_PER_UPLOAD) throw badJson(`Too many keys in '${field}'`);
  return entries.map(([keyId, key]) => {
    const colon = keyId.indexOf(":");
    if (colon <= 0 || colon === keyId.length - 1 || keyId.length > 255) throw badJson(`Invalid key id in '${field}'`);
    if (typeof key !== "string" && !isObject(key)) throw badJson(`Invalid key in '${field}'`);
    return [keyId, keyId.slice(0, colon), JSON.stringify(key)];
  });
}

function crossSigningPublicKey(key: JsonObject, userId: string, type: string): string {
  if (key.user_id !== userId) throw invalidParam(`The ${type} key must belong to you`);
  if (!Array.isArray(key.usage) || !key.usage.includes(type)) throw invalidParam(`The ${type} key must have usage '${type}'`);
  const values = isObject(key.keys) ? Object.values(key.keys) : [];
  if (values.length !== 1 || typeof values[0] !== "string") throw invalidParam(`The ${type} key must hold exactly one public key`);
  return values[0];
}
