/**
 * To-device messages (`to_device`, one stream position each) and the senders'
 * transaction ids (`to_device_txns`) that make a send idempotent. Who may send
 * to whom, and how much, is decided in `services/to-device.ts`.
 */
import type { Insertable } from "kysely";
import type { ToDeviceTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class ToDeviceStore {
  constructor(private readonly store: Store) {}

  /** Forgets the sender device's transaction ids created before `before` (ms). */
  deleteTxnsBefore(userId: string, deviceId: string, before: number): void {
    this.store.run(this.store.q.deleteFrom("to_device_txns")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("created_ts", "<", before));
  }

  hasTxn(userId: string, deviceId: string, txnId: string): boolean {
    return this.store.first(this.store.q.selectFrom("to_device_txns").select("txn_id")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("txn_id", "=", txnId)) !== undefined;
  }

  insertTxn(userId: string, deviceId: string, txnId: string, createdTs: number): void {
    this.store.run(this.store.q.insertInto("to_device_txns").values({ user_id: userId, device_id: deviceId, txn_id: txnId, created_ts: createdTs }));
  }

  /** The user's device ids (the `devices` table, owned by accounts): where `*` sends to. */
  deviceIdsOf(userId: string): string[] {
    return this.store.all(this.store.q.selectFrom("devices").select("device_id").where("user_id", "=", userId)).map((d) => d.device_id);
  }

  insertMessage(row: Insertable<ToDeviceTable>): void {
    this.store.run(this.store.q.insertInto("to_device").values(row));
  }

  /** How many messages from `sender` wait for the device. */
  pendingFrom(sender: string, userId: string, deviceId: string): number {
    const row = this.store.first(this.store.q.selectFrom("to_device").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("sender", "=", sender));
    return Number(row?.n ?? 0);
  }

  /** How many messages, from anyone, wait for the device. */
  pendingFor(userId: string, deviceId: string): number {
    const row = this.store.first(this.store.q.selectFrom("to_device").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("device_id", "=", deviceId));
    return Number(row?.n ?? 0);
  }

  /** Whether any message for the device is at or before `upTo`. */
  hasMessagesUpTo(userId: string, deviceId: string, upTo: number): boolean {
    return this.store.first(this.store.q.selectFrom("to_device").select("stream_pos")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("stream_pos", "<=", upTo).limit(1)) !== undefined;
  }

  deleteMessagesUpTo(userId: string, deviceId: string, upTo: number): void {
    this.store.run(this.store.q.deleteFrom("to_device").where("user_id", "=", userId).where("device_id", "=", deviceId).where("stream_pos", "<=", upTo));
  }

  /** At most `limit` of the device's messages in (after, upTo], oldest first, with their positions. */
  messagesBetween(userId: string, deviceId: string, after: number, upTo: number, limit: number) {
    return this.store.all(this.store.q.selectFrom("to_device").select(["stream_pos", "sender", "type", "content"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId)
      .where("stream_pos", ">", after).where("stream_pos", "<=", upTo).orderBy("stream_pos").limit(limit));
  }

  /** At most `limit` of the device's messages after `after`, oldest first, with their positions. */
  messagesAfter(userId: string, deviceId: string, after: number, limit: number) {
    return this.store.all(this.store.q.selectFrom("to_device").select(["stream_pos", "sender", "type", "content"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("stream_pos", ">", after)
      .orderBy("stream_pos").limit(limit));
  }
}
