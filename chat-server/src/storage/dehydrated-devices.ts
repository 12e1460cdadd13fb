/**
 * Dehydrated devices (MSC3814): at most one per user, its pickle opaque here,
 * with its row in `devices` (owned by accounts) that holds no token. Its keys
 * are in `device-keys.ts`, its messages in `to-device.ts`; the rules are in
 * `services/dehydrated-devices.ts`.
 */
import type { Store } from "./database.ts";

export class DehydratedDevicesStore {
  constructor(private readonly store: Store) {}

  /** The user's dehydrated device, if any. */
  current(userId: string) {
    return this.store.first(this.store.q.selectFrom("dehydrated_devices").select(["device_id", "device_data"]).where("user_id", "=", userId));
  }

  /** Whether the user has a device (dehydrated or not) with this id. */
  deviceExists(userId: string, deviceId: string): boolean {
    return this.store.first(this.store.q.selectFrom("devices").select("device_id").where("user_id", "=", userId).where("device_id", "=", deviceId)) !== undefined;
  }

  /** Inserts the device's row in `devices` and its pickle, in the caller's write. */
  insert(userId: string, deviceId: string, displayName: string | null, deviceData: string, now: number): void {
    const q = this.store.q;
    this.store.run(q.insertInto("devices").values({ user_id: userId, device_id: deviceId, display_name: displayName, created_ts: now }));
    this.store.run(q.insertInto("dehydrated_devices").values({ user_id: userId, device_id: deviceId, device_data: deviceData, created_ts: now }));
  }
}
