/**
 * To-device messages: each one a position in the global stream, delivered to
 * its device by sync and deleted once a later `since` shows the device saw it.
 */
import type { Store } from "../storage/database.ts";
import { ToDeviceStore } from "../storage/to-device.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import type { Memberships } from "./memberships.ts";
import { badJson, isObject, type JsonObject, limitExceeded, tooLarge } from "@onsafe/matrix-basics";

const MAX_MESSAGES = 1000;
/**
 * Messages from one visitor waiting for one device: more are dropped. A device
 * that does not sync for long (a staff member's dehydrated device, waiting for
 * the next sign-in) would otherwise keep whatever an anonymous account sends it.
 * A victim's client sends a device a room key per new Megolm session (every
 * 100 messages or a week): far fewer.
 */
export const MAX_PENDING_FROM_VISITOR = 200;
/** A client retries a send within minutes; remembering its txn ids for a day is ample. */
const TXN_TTL_MS = 24 * 60 * 60 * 1000;
/** A sender refused because a device's queue is full tries again after this long (the device may have synced by then). */
const FULL_RETRY_MS = 30_000;

/** What a device may be sent (config: ONSAFE_TO_DEVICE_MAX_MESSAGE_BYTES, ONSAFE_TO_DEVICE_MAX_PENDING_PER_DEVICE). */
export interface ToDeviceLimits {
  maxMessageBytes: number;
  maxPendingPerDevice: number;
}

export class ToDevice {
  private readonly rows: ToDeviceStore;

  constructor(store: Store, private readonly writer: Writer, private readonly memberships: Memberships, private readonly limits: ToDeviceLimits) {
    this.rows = new ToDeviceStore(store);
  }

  /**
   * `PUT /sendToDevice`: idempotent per sender device and txnId. Each message
   * gets its own stream position. `*` means every device of the user; messages
   * to unknown devices are dropped (nothing would ever collect them), and so
   * are a visitor's messages to anyone they share no room with.
   */
  async send(session: Session, type: string, txnId: string, messages: JsonObject): Promise<void> {
    const targets: { userId: string; deviceId: string; content: string }[] = [];
    for (const [userId, devices] of Object.entries(messages)) {
      if (!isObject(devices)) throw badJson("'messages' must map users to devices to contents");
      for (const [deviceId, content] of Object.entries(devices)) {
        if (!isObject(content)) throw badJson("Each to-device content must be an object");
        const json = JSON.stringify(content);
        if (Buffer.byteLength(json) > this.limits.maxMessageBytes) throw tooLarge(`A to-device message may have at most ${this.limits.maxMessageBytes} bytes`);
        targets.push({ userId, deviceId, content: json });
      }
    }
    if (targets.length > MAX_MESSAGES) throw badJson(`At most ${MAX_MESSAGES} messages per request`);
    const { userId: sender, deviceId: senderDevice } = session;
    await this.writer.write((ctx) => {
      const now = Date.now();
      this.rows.deleteTxnsBefore(sender, senderDevice, now - TXN_TTL_MS);
      if (this.rows.hasTxn(sender, senderDevice, txnId)) return;
      this.rows.insertTxn(sender, senderDevice, txnId, now);
      const devicesOf = new Map<string, string[]>();
      const woken = new Set<string>();
      for (const { userId, deviceId, content } of targets) {
        if (session.kind === "visitor" && !this.memberships.sharesRoom(sender, userId)) continue;
        let devices = devicesOf.get(userId);
        if (!devices) {
          devices = this.rows.deviceIdsOf(userId);
          devicesOf.set(userId, devices);
        }
        for (const device of deviceId === "*" ? devices : devices.filter((d) => d === deviceId)) {
          if (session.kind === "visitor" && this.rows.pendingFrom(sender, userId, device) >= MAX_PENDING_FROM_VISITOR) continue;
          // The whole request is refused (its savepoint rolled back, txn id too): the client retries it later.
          if (this.rows.pendingFor(userId, device) >= this.limits.maxPendingPerDevice) throw limitExceeded(FULL_RETRY_MS);
          this.rows.insertMessage({ stream_pos: ctx.nextPos(), user_id: userId, device_id: device, sender, type, content });
          woken.add(userId);
        }
      }
      ctx.wakeUsers(woken);
    });
  }

  /** Forgets messages the device has seen; the delete is not awaited, so a sync never waits on it. */
  acknowledge(userId: string, deviceId: string, since: number): void {
    if (!this.rows.hasMessagesUpTo(userId, deviceId, since)) return;
    this.writer.write(() => {
      this.rows.deleteMessagesUpTo(userId, deviceId, since);
    }).catch(() => { /* retried on the next sync */ });
  }

  /**
   * At most `limit` of the device's messages after `since` up to `upTo`, and the
   * position they reach: `upTo` when none were held back, else the last one given,
   * from which the next sync carries on (its token says so).
   */
  forSync(userId: string, deviceId: string, since: number | undefined, upTo: number, limit: number): { events: { sender: string; type: string; content: JsonObject }[]; upTo: number } {
    const rows = this.rows.messagesBetween(userId, deviceId, since ?? -1, upTo, limit);
    return {
      events: rows.map((row) => ({ sender: row.sender, type: row.type, content: JSON.parse(row.content) as JsonObject })),
      upTo: rows.length === limit ? rows[rows.length - 1]!.stream_pos : upTo,
    };
  }
}
