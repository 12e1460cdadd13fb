/**
 * Room key backup in secret storage, unlocked by the recovery code's secret:
 * set up while triage runs on the first start, read back on a new device.
 * Neither stops the chat when it fails: without backup the chat still works
 * on this device; only coming back elsewhere loses the earlier messages.
 */
import type { MatrixClient } from "matrix-js-sdk";
import { deriveSecretStorageKey } from "../device/recovery-code.ts";

export async function setUpKeyBackup(client: MatrixClient, secret: string): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto) return;
  try {
    await crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      setupNewKeyBackup: true,
      createSecretStorageKey: async () => ({ privateKey: await deriveSecretStorageKey(secret), keyInfo: { name: "onsafe recovery code" } }),
    });
  } catch (error) {
    console.warn("onsafe: key backup could not be set up", error);
  }
}

export async function restoreKeyBackup(client: MatrixClient): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto) return;
  try {
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    await crypto.checkKeyBackupAndEnable();
    await crypto.restoreKeyBackup();
  } catch (error) {
    console.warn("onsafe: earlier messages could not be restored from backup", error);
  }
}
