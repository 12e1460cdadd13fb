/**
 * Staff key backup with secret storage (Matrix SSSS), as Element does: at the
 * first sign-in the console sets a recovery key (or a passphrase) that
 * protects the account's cross-signing keys and room key backup on the
 * server; on a new browser the same key unlocks them and restores the backup,
 * so the cases' history and pinned triage summaries stay readable
 * (docs/CONSOLE.md "Sign-in and keys", docs/THREAT_MODEL.md).
 *
 * The victim app keeps its backup the same way (matrix/key-backup.ts, whose
 * restore is reused here), with a key derived from its recovery code.
 */
import { Method, type MatrixClient } from "matrix-js-sdk";
import { decodeRecoveryKey, deriveRecoveryKeyFromPassphrase, type CryptoCallbacks, type GeneratedSecretStorageKey, type StartDehydrationOpts } from "matrix-js-sdk/lib/crypto-api/index.js";
import { restoreKeyBackup } from "../../matrix/key-backup.ts";

/** "ready": this device holds the backup key; "set-up": the account has no secret storage yet; "enter": it has, this device does not. */
export type RecoveryState = "ready" | "set-up" | "enter";

/** The least a passphrase must be: it alone protects every case's history on the server. */
export const MIN_PASSPHRASE_LENGTH = 12;

export class WrongRecoveryKey extends Error {
  constructor() {
    super("wrong recovery key or passphrase");
  }
}

/**
 * The secret storage key while the console needs it (setting up, unlocking),
 * in memory only, then forgotten: the SDK asks for it through the crypto callbacks.
 */
export class SecretKeyCache {
  private key: [string, Uint8Array<ArrayBuffer>] | null = null;

  callbacks(): CryptoCallbacks {
    return {
      getSecretStorageKey: async ({ keys }) => (this.key && this.key[0] in keys ? this.key : null),
      cacheSecretStorageKey: (keyId, _info, key) => this.set(keyId, key),
    };
  }

  /** A copy: clearing zeroes this cache's bytes, never the caller's (a failed set-up is tried again with the same key). */
  set(keyId: string, key: Uint8Array<ArrayBuffer>): void {
    this.clear();
    this.key = [keyId, key.slice()];
  }

  clear(): void {
    this.key?.[1].fill(0);
    this.key = null;
  }
}

export async function recoveryState(client: MatrixClient): Promise<RecoveryState> {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error("no crypto");
  if (!(await client.secretStorage.getDefaultKeyId())) return "set-up";
  return (await crypto.getSessionBackupPrivateKey()) ? "ready" : "enter";
}

/** A new recovery key (random, or from a passphrase), not yet stored anywhere: shown first, set once written down. */
export async function newRecoveryKey(client: MatrixClient, passphrase?: string): Promise<GeneratedSecretStorageKey> {
  return client.getCrypto()!.createRecoveryKeyFromPassphrase(passphrase);
}

/**
 * Sets the account's secret storage with `generated`, cross-signing (our
 * homeserver takes the first upload without re-authentication, MSC3967) and a
 * new key backup, whose key goes into secret storage.
 */
export async function setUpRecovery(client: MatrixClient, cache: SecretKeyCache, generated: GeneratedSecretStorageKey): Promise<void> {
  const crypto = client.getCrypto()!;
  try {
    if (!(await crypto.isCrossSigningReady()) && !(await client.secretStorage.getDefaultKeyId())) {
      await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: async (makeRequest) => { await makeRequest(null); } });
    }
    await crypto.bootstrapSecretStorage({ createSecretStorageKey: async () => generated, setupNewSecretStorage: true, setupNewKeyBackup: true });
    await dehydrate(client, { createNewKey: true, rehydrate: false });
  } finally {
    cache.clear();
  }
}

/**
 * Unlocks secret storage with the recovery key or passphrase `text`, signs this
 * device with the account's cross-signing keys and restores the key backup:
 * events that could not be decrypted are decrypted again as their keys arrive.
 */
export async function unlockRecovery(client: MatrixClient, cache: SecretKeyCache, text: string): Promise<void> {
  const crypto = client.getCrypto()!;
  const found = await client.secretStorage.getKey();
  if (!found) throw new Error("no secret storage key");
  const [keyId, info] = found;
  let key: Uint8Array<ArrayBuffer> | null = null;
  try {
    key = decodeRecoveryKey(text.trim());
  } catch {
    if (info.passphrase) key = await deriveRecoveryKeyFromPassphrase(text, info.passphrase.salt, info.passphrase.iterations, info.passphrase.bits);
  }
  if (!key || !(await client.secretStorage.checkKey(key, info))) throw new WrongRecoveryKey();
  cache.set(keyId, key);
  try {
    // Cross-signing: the keys come from secret storage and sign this device (nothing to upload but the signature).
    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: async (makeRequest) => { await makeRequest(null); } }).catch((error) => {
      console.warn("onsafe: this device could not be cross-signed", error);
    });
    await restoreKeyBackup(client);
    if (!(await crypto.getSessionBackupPrivateKey())) throw new Error("the key backup could not be opened");
    // What victims wrote while no console of this person was signed in: the dehydrated device got its keys.
    await dehydrate(client, { rehydrate: true });
  } finally {
    cache.clear();
  }
}

/**
 * Keys another console of this person took in moments ago reach the backup
 * within about 10 s (the SDK's upload delay): while messages here are still
 * unreadable, the backup is read again after 15 s and after a minute.
 * Returns the cancel.
 */
export function restoreLateKeys(client: MatrixClient, delaysMs = [15_000, 60_000]): () => void {
  const unreadable = () => client.getRooms().some((room) => room.getMyMembership() === "join" && room.getLiveTimeline().getEvents().some((e) => e.isDecryptionFailure()));
  // The backup key is in this device's store by now (secret storage is locked again): restore directly.
  const restore = () => client.getCrypto()?.restoreKeyBackup().catch((error) => console.warn("onsafe: late keys not restored", error));
  const timers = delaysMs.map((ms) => setTimeout(() => { if (unreadable()) void restore(); }, ms));
  return () => timers.forEach(clearTimeout);
}

/**
 * The dehydrated device (MSC3814, chat-server `dehydrated-devices.ts`): a
 * device left on the server, its keys in secret storage, that receives room
 * keys while this person has no console signed in; rehydrating it at the next
 * sign-in reads what victims wrote meanwhile. Needs secret storage unlocked
 * (the key is cached) or the dehydration key already in this device's store.
 * A failure leaves only that gap, so it is logged, never thrown.
 */
async function dehydrate(client: MatrixClient, opts: StartDehydrationOpts): Promise<void> {
  const crypto = client.getCrypto()!;
  try {
    if (await crypto.isDehydrationSupported()) await crypto.startDehydration(opts);
  } catch (error) {
    console.warn("onsafe: no dehydrated device", error);
  }
}

/** After a reload: a fresh dehydrated device (its queue of keys, also received here, starts again empty). */
export async function renewDehydratedDevice(client: MatrixClient): Promise<void> {
  await dehydrate(client, { onlyIfKeyCached: true, rehydrate: false });
}

/**
 * How many room keys this device holds that are not yet in the server's key
 * backup, or null without a backup. Each is a message no other browser can
 * read after sign-out.
 */
export async function keysNotBackedUp(client: MatrixClient): Promise<number | null> {
  const crypto = client.getCrypto();
  const version = await crypto?.getActiveSessionBackupVersion();
  if (!crypto || !version) return null;
  const local = await crypto.exportRoomKeys();
  const remote = await client.http.authedRequest<{ rooms: Record<string, { sessions: Record<string, unknown> }> }>(Method.Get, "/room_keys/keys", { version });
  return local.filter((k) => !(k.session_id in (remote.rooms[k.room_id]?.sessions ?? {}))).length;
}

/** Waits until every room key here is in the backup (the SDK uploads them within about ten seconds), up to `timeoutMs`; returns what is left. */
export async function waitForBackup(client: MatrixClient, timeoutMs = 30_000): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const left = await keysNotBackedUp(client);
    if (!left || Date.now() > until) return left;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
