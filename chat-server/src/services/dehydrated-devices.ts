/**
 * Dehydrated devices (MSC3814, `/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device`):
 * a staff member's console leaves one device on the server, without an access
 * token, whose identity and one-time keys others encrypt room keys to while
 * the person is signed out. At the next sign-in the console fetches its
 * pickle (encrypted with a key from the user's secret storage: opaque here)
 * and its to-device messages, and so reads what victims wrote meanwhile.
 * One per user; a new one replaces the old with its keys and messages.
 * Visitors get none: they have no use for it, and it would be one more
 * thing an anonymous account could make the server keep.
 */
import type { Store } from "../storage/database.ts";
import { DehydratedDevicesStore } from "../storage/dehydrated-devices.ts";
import { ToDeviceStore } from "../storage/to-device.ts";
import type { Writer } from "../storage/writer.ts";
import type { Accounts, Session } from "./accounts.ts";
import type { Keys } from "./keys.ts";
import { badJson, forbidden, invalidParam, isObject, type JsonObject, notFound, optionalObject } from "@onsafe/matrix-basics";

/** To-device messages per `events` page. */
const EVENTS_PER_PAGE = 100;
const MAX_DEVICE_DATA_CHARS = 64 * 1024;
const DEVICE_ID = /^[A-Za-z0-9._~+/=-]{1,255}$/;

export class DehydratedDevices {
  private readonly rows: DehydratedDevicesStore;
  private readonly messages: ToDeviceStore;

  constructor(store: Store, private readonly writer: Writer, private readonly accounts: Accounts, private readonly keys: Keys) {
    this.rows = new DehydratedDevicesStore(store);
    this.messages = new ToDeviceStore(store);
  }

  /** `PUT dehydrated_device`: replaces the user's dehydrated device by this one, with its keys. */
  async put(session: Session, body: JsonObject): Promise<string> {
    if (session.kind === "visitor") throw forbidden("Visitor accounts have no dehydrated device");
    const deviceId = body.device_id;
    if (typeof deviceId !== "string" || !DEVICE_ID.test(deviceId)) throw invalidParam("'device_id' must be a device id");
    const data = body.device_data;
    if (!isObject(data) || typeof data.algorithm !== "string") throw badJson("'device_data' must be an object with an 'algorithm'");
    const deviceData = JSON.stringify(data);
    if (deviceData.length > MAX_DEVICE_DATA_CHARS) throw badJson("'device_data' is too large");
    const deviceKeys = optionalObject(body, "device_keys");
    if (!deviceKeys) throw badJson("'device_keys' is required");
    const displayName = typeof body.initial_device_display_name === "string" ? body.initial_device_display_name.slice(0, 100) : null;
    const { userId } = session;
    const taken = this.rows.deviceExists(userId, deviceId);
    const previous = this.current(userId);
    if (taken && previous?.device_id !== deviceId) throw invalidParam("A device with this id exists");
    if (previous) await this.accounts.deleteDevices(userId, [previous.device_id]);
    await this.writer.write(() => {
      this.rows.insert(userId, deviceId, displayName, deviceData, Date.now());
    });
    try {
      // The same checks as `/keys/upload` for this device (its own id, a valid self-signature).
      await this.keys.upload({ ...session, deviceId }, {
        deviceKeys,
        oneTimeKeys: optionalObject(body, "one_time_keys"),
        fallbackKeys: optionalObject(body, "fallback_keys"),
      });
    } catch (error) {
      await this.accounts.deleteDevices(userId, [deviceId]);
      throw error;
    }
    return deviceId;
  }

  /** `GET dehydrated_device`. */
  get(userId: string): { device_id: string; device_data: JsonObject } {
    const row = this.current(userId);
    if (!row) throw notFound("No dehydrated device");
    return { device_id: row.device_id, device_data: JSON.parse(row.device_data) as JsonObject };
  }

  /** `DELETE dehydrated_device`: the device, its keys and its messages. */
  async delete(userId: string): Promise<string> {
    const row = this.current(userId);
    if (!row) throw notFound("No dehydrated device");
    await this.accounts.deleteDevices(userId, [row.device_id]);
    return row.device_id;
  }

  /**
   * `dehydrated_device/{deviceId}/events`: the device's to-device messages
   * after `from` (a position this answered before; the messages up to it are
   * forgotten), a page at a time; no `next_batch` once there are no more.
   */
  async events(userId: string, deviceId: string, from: string | undefined): Promise<{ events: JsonObject[]; next_batch?: string }> {
    if (this.current(userId)?.device_id !== deviceId) throw forbidden("Not your dehydrated device");
    let since = -1;
    if (from !== undefined) {
      if (!/^\d{1,15}$/.test(from)) throw invalidParam("'from' must be a next_batch this server gave");
      since = Number(from);
      await this.writer.write(() => {
        this.messages.deleteMessagesUpTo(userId, deviceId, since);
      });
    }
    const rows = this.messages.messagesAfter(userId, deviceId, since, EVENTS_PER_PAGE);
    if (rows.length === 0) return { events: [] };
    return {
      events: rows.map((row) => ({ sender: row.sender, type: row.type, content: JSON.parse(row.content) as JsonObject })),
      next_batch: String(rows[rows.length - 1]!.stream_pos),
    };
  }

  private current(userId: string) {
    return this.rows.current(userId);
  }
}
