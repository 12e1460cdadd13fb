/**
 * End-to-end encryption keys of devices: identity keys (stored as uploaded),
 * one-time and fallback keys, and the `/keys/query` and `/keys/claim` views of
 * them together with cross-signing. A changed identity key is a device-list
 * change in the global stream.
 */
import type { Store } from "../storage/database.ts";
import { DeviceKeysStore } from "../storage/device-keys.ts";
import type { WriteContext, Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import { CrossSigning } from "./cross-signing.ts";
import type { DeviceLists } from "./device-lists.ts";
import type { Memberships } from "./memberships.ts";
import { isValidSignature, signatureBy } from "./signed-json.ts";
import { badJson, invalidParam, isObject, type JsonObject, MatrixError, tooLarge } from "@onsafe/matrix-basics";

const MAX_KEYS_PER_UPLOAD = 200;
/** A signed curve25519 key is about 250 bytes of JSON; 4 KiB leaves room for more signatures. */
const MAX_KEY_BYTES = 4096;
/** Fallback keys are one per algorithm, and clients have one (signed_curve25519); algorithm names are the client's to choose. */
const MAX_FALLBACK_ALGORITHMS = 10;

export interface KeyUpload {
  deviceKeys?: JsonObject;
  oneTimeKeys?: JsonObject;
  fallbackKeys?: JsonObject;
}

interface UploadedKey {
  keyId: string;
  algorithm: string;
  json: string;
}

export class Keys {
  readonly crossSigning: CrossSigning;
  private readonly rows: DeviceKeysStore;

  constructor(
    store: Store,
    private readonly writer: Writer,
    private readonly deviceLists: DeviceLists,
    private readonly memberships: Memberships,
    /** One-time keys one device may keep (config: ONSAFE_MAX_ONE_TIME_KEYS_PER_DEVICE). */
    private readonly maxOneTimeKeys: number,
  ) {
    this.rows = new DeviceKeysStore(store);
    this.crossSigning = new CrossSigning(store, writer, deviceLists, (session, userId) => this.mayQuery(session, userId), this.rows);
  }

  /** `/keys/upload`: all or nothing; returns the device's one-time key counts. */
  async upload(session: Session, upload: KeyUpload): Promise<Record<string, number>> {
    const { userId, deviceId } = session;
    const deviceKeys = upload.deviceKeys && checkDeviceKeys(upload.deviceKeys, userId, deviceId);
    const oneTime = keyEntries(upload.oneTimeKeys, "one_time_keys");
    const fallback = keyEntries(upload.fallbackKeys, "fallback_keys");
    if (new Set(fallback.map((k) => k.algorithm)).size !== fallback.length) throw invalidParam("At most one fallback key per algorithm");
    await this.writer.write((ctx) => {
      if (deviceKeys) this.storeDeviceKeys(ctx, userId, deviceId, deviceKeys);
      if (oneTime.length) this.storeOneTimeKeys(userId, deviceId, oneTime);
      for (const key of fallback) this.storeFallbackKey(userId, deviceId, key);
    });
    return this.oneTimeKeyCounts(userId, deviceId);
  }

  /** Always names `signed_curve25519`: without it matrix-js-sdk keeps uploading keys. */
  oneTimeKeyCounts(userId: string, deviceId: string): Record<string, number> {
    const counts: Record<string, number> = { signed_curve25519: 0 };
    for (const row of this.rows.oneTimeKeyCounts(userId, deviceId)) counts[row.algorithm] = Number(row.n);
    return counts;
  }

  unusedFallbackKeyTypes(userId: string, deviceId: string): string[] {
    return this.rows.unusedFallbackKeyTypes(userId, deviceId);
  }

  /** Visitors may see (and claim, and sign) the keys only of people they share a room with. */
  mayQuery(session: Session, userId: string): boolean {
    return session.kind !== "visitor" || this.memberships.sharesRoom(session.userId, userId);
  }

  /** `/keys/query`: users the caller may not see are left out, as if unknown. */
  query(session: Session, request: Record<string, string[]>): JsonObject {
    const deviceKeys: JsonObject = {};
    const masterKeys: JsonObject = {};
    const selfSigningKeys: JsonObject = {};
    const userSigningKeys: JsonObject = {};
    for (const [userId, wanted] of Object.entries(request)) {
      if (!this.mayQuery(session, userId)) continue;
      const rows = this.rows.deviceKeysWithNames(userId);
      const devices: JsonObject = {};
      for (const row of rows) {
        if (wanted.length && !wanted.includes(row.device_id)) continue;
        const keys = this.crossSigning.withSignatures(JSON.parse(row.key_json) as JsonObject, userId, row.device_id, session.userId);
        // `unsigned` is outside the signature: the server may add the display name.
        if (row.display_name) keys.unsigned = { ...(isObject(keys.unsigned) ? keys.unsigned : {}), device_display_name: row.display_name };
        devices[row.device_id] = keys;
      }
      deviceKeys[userId] = devices;
      for (const key of this.crossSigning.keysOf(userId)) {
        const json = this.crossSigning.withSignatures(key.json, userId, key.publicKey, session.userId);
        if (key.type === "master") masterKeys[userId] = json;
        else if (key.type === "self_signing") selfSigningKeys[userId] = json;
        else if (userId === session.userId) userSigningKeys[userId] = json;
      }
    }
    return { device_keys: deviceKeys, master_keys: masterKeys, self_signing_keys: selfSigningKeys, user_signing_keys: userSigningKeys, failures: {} };
  }

  /**
   * `/keys/claim`: one one-time key per device, oldest upload first and never
   * handed out twice; the fallback key (marked used) once none are left.
   */
  async claim(session: Session, request: Record<string, Record<string, string>>): Promise<JsonObject> {
    return this.writer.write(() => {
      const result: JsonObject = {};
      for (const [userId, devices] of Object.entries(request)) {
        if (!this.mayQuery(session, userId)) continue;
        const claimed: JsonObject = {};
        for (const [deviceId, algorithm] of Object.entries(devices)) {
          const key = this.rows.oldestOneTimeKey(userId, deviceId, algorithm);
          if (key) {
            this.rows.deleteOneTimeKey(userId, deviceId, key.key_id);
            claimed[deviceId] = { [key.key_id]: JSON.parse(key.key_json) };
            continue;
          }
          const fallback = this.rows.fallbackKey(userId, deviceId, algorithm);
          if (!fallback) continue;
          this.rows.markFallbackKeyUsed(userId, deviceId, algorithm);
          claimed[deviceId] = { [fallback.key_id]: JSON.parse(fallback.key_json) };
        }
        if (Object.keys(claimed).length) result[userId] = claimed;
      }
      return { one_time_keys: result, failures: {} };
    });
  }

  private storeDeviceKeys(ctx: WriteContext, userId: string, deviceId: string, json: string): void {
    if (this.rows.deviceKeyJson(userId, deviceId) === json) return;
    this.rows.upsertDeviceKeys(userId, deviceId, json);
    this.deviceLists.recordChange(ctx, userId);
  }

  /**
   * Keys of one upload share an `upload_seq` above every key still stored, so
   * claims take the oldest first (spec v1.14 / MSC4225): clients drop their
   * oldest private keys first. A known key id with other content is refused,
   * as in Synapse: the client would hold a different private key than the one
   * given out.
   */
  private storeOneTimeKeys(userId: string, deviceId: string, keys: UploadedKey[]): void {
    const seq = Number(this.rows.lastOneTimeKeyUpload(userId, deviceId) ?? 0) + 1;
    let held = this.rows.oneTimeKeyCounts(userId, deviceId).reduce((sum, row) => sum + Number(row.n), 0);
    for (const key of keys) {
      const existing = this.rows.oneTimeKeyJson(userId, deviceId, key.keyId);
      if (existing === key.json) continue;
      if (existing !== undefined) throw invalidParam(`One-time key ${key.keyId} already exists with other content`);
      // The write's savepoint is rolled back: none of the upload's keys stay.
      if (++held > this.maxOneTimeKeys) throw tooLarge(`A device may keep at most ${this.maxOneTimeKeys} one-time keys`);
      this.rows.insertOneTimeKey(userId, deviceId, key, seq);
    }
  }

  /** One fallback key per algorithm; uploading the same key again keeps its `used` mark. */
  private storeFallbackKey(userId: string, deviceId: string, key: UploadedKey): void {
    const existing = this.rows.fallbackKey(userId, deviceId, key.algorithm);
    if (existing?.key_id === key.keyId && existing.key_json === key.json) return;
    if (!existing && this.rows.fallbackKeyCount(userId, deviceId) >= MAX_FALLBACK_ALGORITHMS) {
      throw tooLarge(`A device may keep fallback keys for at most ${MAX_FALLBACK_ALGORITHMS} algorithms`);
    }
    this.rows.upsertFallbackKey(userId, deviceId, key);
  }
}

/**
 * Device keys must be the caller's own device's, well-formed, and signed by
 * their own ed25519 key (spec "Uploading keys"). Returns the JSON to store.
 */
function checkDeviceKeys(keys: JsonObject, userId: string, deviceId: string): string {
  if (keys.user_id !== userId || keys.device_id !== deviceId) throw invalidParam("device_keys must be for your own user and device");
  if (!Array.isArray(keys.algorithms) || !keys.algorithms.every((a) => typeof a === "string")) throw badJson("device_keys needs 'algorithms', a list of strings");
  if (!isObject(keys.keys) || !Object.values(keys.keys).every((k) => typeof k === "string")) throw badJson("device_keys needs 'keys', a map of strings");
  if (!isObject(keys.signatures)) throw badJson("device_keys needs 'signatures'");
  const keyId = `ed25519:${deviceId}`;
  const publicKey = keys.keys[keyId];
  const signature = signatureBy(keys, userId, keyId);
  if (typeof publicKey !== "string" || !signature || !isValidSignature(keys, signature, publicKey)) {
    throw new MatrixError(400, "M_INVALID_SIGNATURE", `device_keys must be signed by their own ${keyId} key`);
  }
  return JSON.stringify(keys);
}

/** The keys of a one_time_keys or fallback_keys map, whose names are "algorithm:id". */
function keyEntries(keys: JsonObject | undefined, field: string): UploadedKey[] {
  if (!keys) return [];
  const entries = Object.entries(keys);
  if (entries.length > MAX_KEYS_PER_UPLOAD) throw badJson(`Too many keys in '${field}'`);
  return entries.map(([keyId, key]) => {
    const colon = keyId.indexOf(":");
    if (colon <= 0 || colon === keyId.length - 1 || keyId.length > 255) throw badJson(`Invalid key id in '${field}'`);
    if (typeof key !== "string" && !isObject(key)) throw badJson(`Invalid key in '${field}'`);
    const json = JSON.stringify(key);
    if (Buffer.byteLength(json) > MAX_KEY_BYTES) throw tooLarge(`Each key in '${field}' may have at most ${MAX_KEY_BYTES} bytes`);
    return { keyId, algorithm: keyId.slice(0, colon), json };
  });
}
