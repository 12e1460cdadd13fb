/**
 * Room key backup in secret storage: the victim app sets it up while triage
 * runs on the first start, with a key derived from the recovery code's secret
 * (`victim/device/recovery-code.ts`), and reads it back on a new device; the
 * console reads its own back the same way (`console/shell/staff-keys.ts`).
 * Neither stops the chat when it fails: without backup the chat still works
 * on this device; only coming back elsewhere loses the earlier messages.
 */
import type { MatrixClient } from "matrix-js-sdk";

/** `secretStorageKey` is asked for only when secret storage is created; `keyName` is stored beside it. */
export async function setUpKeyBackup(client: MatrixClient, secretStorageKey: () => Promise<Uint8Array<ArrayBuffer>>, keyName: string): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto) return;
  try {
    await crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      setupNewKeyBackup: true,
      createSecretStorageKey: async () => ({ privateKey: await secretStorageKey(), keyInfo: { name: keyName } }),
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
