/**
 * Waits until this device's keys can be fetched from the server: whoever
 * encrypts for us (the triage bot's first words) must find them there.
 */
import { type MatrixClient, Method } from "matrix-js-sdk";

export async function ownDeviceKeysUploaded(client: MatrixClient, userId: string, deviceId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const response = await client.http.authedRequest<{ device_keys?: Record<string, Record<string, unknown>> }>(
      Method.Post, "/keys/query", undefined, { device_keys: { [userId]: [deviceId] } },
    );
    if (response.device_keys?.[userId]?.[deviceId]) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("this device's keys did not reach the server");
}
