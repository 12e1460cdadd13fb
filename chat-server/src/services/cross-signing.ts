/**
 * Cross-signing (spec "Cross-signing"): each user's master, self-signing and
 * user-signing keys, and the signatures linking them to the user's own devices
 * and to other users' master keys. Keys and signatures are verified against
 * what is stored before they are kept, so `/keys/query` never hands out a
 * signature that does not check.
 */
import type { Insertable } from "kysely";
import type { KeySignaturesTable } from "@onsafe/schema";
import { CrossSigningStore } from "../storage/cross-signing.ts";
import type { Store } from "../storage/database.ts";
import type { DeviceKeysStore } from "../storage/device-keys.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import type { DeviceLists } from "./device-lists.ts";
import { isValidSignature, signatureBy } from "./signed-json.ts";
import { badJson, forbidden, invalidParam, isObject, type JsonObject, MatrixError, missingParam, notFound } from "@onsafe/matrix-basics";

export const CROSS_SIGNING_TYPES = ["master", "self_signing", "user_signing"] as const;
export type CrossSigningType = (typeof CROSS_SIGNING_TYPES)[number];

/** A checked cross-signing key. */
export interface CrossSigningKey {
  type: CrossSigningType;
  publicKey: string;
  json: JsonObject;
}

type Signature = Insertable<KeySignaturesTable>;
type Failures = Record<string, Record<string, { errcode: string; error: string }>>;

const invalidSignature = (message: string) => new MatrixError(400, "M_INVALID_SIGNATURE", message);

export class CrossSigning {
  private readonly rows: CrossSigningStore;

  constructor(
    store: Store,
    private readonly writer: Writer,
    private readonly deviceLists: DeviceLists,
    private readonly mayQuery: (session: Session, userId: string) => boolean,
    /** The device keys the signatures are checked against (the keys service's store). */
    private readonly deviceKeys: DeviceKeysStore,
  ) {
    this.rows = new CrossSigningStore(store);
  }

  keysOf(userId: string): CrossSigningKey[] {
    return this.rows.keysOf(userId)
      .map((row) => ({ type: row.key_type, publicKey: row.public_key, json: JSON.parse(row.key_json) as JsonObject }));
  }

  hasMasterKey(userId: string): boolean {
    return this.keysOf(userId).some((k) => k.type === "master");
  }

  /**
   * Checks a `/keys/device_signing/upload` by the spec's rules, before any
   * re-authentication: every key is the user's, for its usage, with one ed25519
   * key; self-signing and user-signing keys are signed by the accompanying (or
   * else the current) master key; no public key equals one of the user's device ids.
   */
  check(userId: string, upload: Partial<Record<CrossSigningType, JsonObject>>): CrossSigningKey[] {
    const keys = CROSS_SIGNING_TYPES.filter((type) => upload[type]).map((type) => parseKey(upload[type]!, userId, type));
    const master = keys.find((k) => k.type === "master") ?? this.keysOf(userId).find((k) => k.type === "master");
    for (const key of keys) {
      if (key.type === "master") continue;
      if (!master) throw missingParam(`No master key to check the ${key.type} key against`);
      const signature = signatureBy(key.json, userId, `ed25519:${master.publicKey}`);
      if (!signature || !isValidSignature(key.json, signature, master.publicKey)) {
        throw invalidSignature(`The ${key.type} key is not signed by the master key`);
      }
    }
    const clash = keys.length ? this.rows.deviceIdAmong(userId, keys.map((k) => k.publicKey)) : undefined;
    // Signatures name their target by device id or public key: the two must not collide.
    if (clash) throw forbidden("Key ID in use");
    return keys;
  }

  /** Stores checked keys; a device-list change tells the user's contacts to fetch them. */
  async upload(userId: string, keys: CrossSigningKey[]): Promise<void> {
    await this.writer.write((ctx) => {
      let changed = false;
      for (const key of keys) {
        const values = { public_key: key.publicKey, key_json: JSON.stringify(key.json) };
        if (this.rows.keyJson(userId, key.type) === values.key_json) continue;
        this.rows.upsertKey(userId, key.type, values);
        changed = true;
      }
      if (changed) this.deviceLists.recordChange(ctx, userId);
    });
  }

  /**
   * `/keys/signatures/upload`: users sign their own master key with a device
   * key, their own devices with their self-signing key, and other users'
   * master keys with their user-signing key. Each signature is checked against
   * the stored key; the ones that fail are reported in `failures`, the rest kept.
   */
  async uploadSignatures(session: Session, body: JsonObject): Promise<Failures> {
    const failures: Failures = {};
    const accepted: Signature[] = [];
    const changedUsers = new Set<string>();
    const own = this.keysOf(session.userId);
    for (const [targetUser, targets] of Object.entries(body)) {
      if (!isObject(targets)) throw badJson("Each user must map key ids to signed keys");
      for (const [keyId, signed] of Object.entries(targets)) {
        if (!isObject(signed) || !isObject(signed.signatures)) throw badJson("Each signed key needs 'signatures'");
        try {
          const found = targetUser === session.userId
            ? this.ownSignatures(session.userId, keyId, signed, own)
            : this.otherSignature(session, targetUser, keyId, signed, own);
          accepted.push(...found);
          changedUsers.add(targetUser);
        } catch (error) {
          if (!(error instanceof MatrixError)) throw error;
          (failures[targetUser] ??= {})[keyId] = { errcode: error.errcode, error: error.message };
        }
      }
    }
    if (accepted.length) {
      await this.writer.write((ctx) => {
        for (const row of accepted) this.rows.upsertSignature(row);
        for (const userId of changedUsers) {
          this.deviceLists.recordChange(ctx, userId, userId === session.userId ? undefined : session.userId);
        }
      });
    }
    return failures;
  }

  /**
   * `keys` with the stored signatures on it merged in. Signatures by other
   * users (their user-signing keys) are shown only to the signer, as in Synapse:
   * who verified whom is nobody else's business.
   */
  withSignatures(keys: JsonObject, userId: string, keyId: string, viewer: string): JsonObject {
    const rows = this.rows.signaturesOn(userId, keyId, [...new Set([userId, viewer])]);
    if (!rows.length) return keys;
    const signatures = structuredClone(isObject(keys.signatures) ? keys.signatures : {}) as Record<string, JsonObject>;
    for (const row of rows) (signatures[row.signer_user_id] ??= {})[row.signer_key_id] = row.signature;
    return { ...keys, signatures };
  }

  /** Own master key signed by own devices, or an own device signed by the self-signing key. */
  private ownSignatures(userId: string, keyId: string, signed: JsonObject, own: CrossSigningKey[]): Signature[] {
    const master = own.find((k) => k.type === "master");
    if (master && keyId === master.publicKey) {
      const found: Signature[] = [];
      const byUser = signed.signatures as JsonObject;
      for (const signerKeyId of Object.keys(isObject(byUser[userId]) ? byUser[userId] : {})) {
        const deviceKey = this.deviceEd25519(userId, signerKeyId);
        // The master key's own self-signature and unknown keys are not device signatures.
        if (!deviceKey) continue;
        const signature = signatureBy(signed, userId, signerKeyId)!;
        if (!isValidSignature(master.json, signature, deviceKey)) throw invalidSignature(`Invalid signature by ${signerKeyId}`);
        found.push(row(userId, keyId, userId, signerKeyId, signature));
      }
      if (!found.length) throw invalidSignature("No signature by one of your devices");
      return found;
    }
    const deviceKeyJson = this.deviceKeys.deviceKeyJson(userId, keyId);
    if (deviceKeyJson === undefined) throw notFound("Unknown device or key");
    const selfSigning = own.find((k) => k.type === "self_signing");
    if (!selfSigning) throw invalidParam("You have no self-signing key");
    const signerKeyId = `ed25519:${selfSigning.publicKey}`;
    const signature = signatureBy(signed, userId, signerKeyId);
    if (!signature || !isValidSignature(JSON.parse(deviceKeyJson), signature, selfSigning.publicKey)) {
      throw invalidSignature("No valid signature by your self-signing key");
    }
    return [row(userId, keyId, userId, signerKeyId, signature)];
  }

  /** Another user's master key signed by the signer's user-signing key. */
  private otherSignature(session: Session, targetUser: string, keyId: string, signed: JsonObject, own: CrossSigningKey[]): Signature[] {
    const master = this.mayQuery(session, targetUser) ? this.keysOf(targetUser).find((k) => k.type === "master") : undefined;
    if (!master || master.publicKey !== keyId) throw notFound("Unknown master key");
    const userSigning = own.find((k) => k.type === "user_signing");
    if (!userSigning) throw invalidParam("You have no user-signing key");
    const signerKeyId = `ed25519:${userSigning.publicKey}`;
    const signature = signatureBy(signed, session.userId, signerKeyId);
    if (!signature || !isValidSignature(master.json, signature, userSigning.publicKey)) {
      throw invalidSignature("No valid signature by your user-signing key");
    }
    return [row(targetUser, keyId, session.userId, signerKeyId, signature)];
  }

  /** The ed25519 key behind a signing key id `ed25519:<deviceId>`, if that device has one. */
  private deviceEd25519(userId: string, signerKeyId: string): string | undefined {
    if (!signerKeyId.startsWith("ed25519:")) return undefined;
    const deviceKeyJson = this.deviceKeys.deviceKeyJson(userId, signerKeyId.slice("ed25519:".length));
    const keys = deviceKeyJson !== undefined ? (JSON.parse(deviceKeyJson) as JsonObject).keys : undefined;
    const key = isObject(keys) ? keys[signerKeyId] : undefined;
    return typeof key === "string" ? key : undefined;
  }
}

function row(targetUser: string, targetKey: string, signerUser: string, signerKey: string, signature: string): Signature {
  return { target_user_id: targetUser, target_key_id: targetKey, signer_user_id: signerUser, signer_key_id: signerKey, signature };
}

/** A cross-signing key must be the user's, for its usage, with exactly one key named `ed25519:<that key>`. */
function parseKey(json: JsonObject, userId: string, type: CrossSigningType): CrossSigningKey {
  if (json.user_id !== userId) throw invalidParam(`The ${type} key must belong to you`);
  if (!Array.isArray(json.usage) || !json.usage.includes(type)) throw invalidParam(`The ${type} key must have usage '${type}'`);
  if (json.signatures !== undefined && !isObject(json.signatures)) throw badJson(`The ${type} key's 'signatures' must be an object`);
  const entries = isObject(json.keys) ? Object.entries(json.keys) : [];
  const [keyId, publicKey] = entries[0] ?? [];
  if (entries.length !== 1 || typeof publicKey !== "string" || keyId !== `ed25519:${publicKey}`) {
    throw invalidParam(`The ${type} key must hold exactly one key, named 'ed25519:<public key>'`);
  }
  return { type, publicKey, json };
}
