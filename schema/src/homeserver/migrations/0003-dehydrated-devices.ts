import type { Kysely } from "kysely";

/**
 * A staff member's dehydrated device (MSC3814): one per user, a device
 * without an access token whose keys receive room keys while the person is
 * signed out; `device_data` is the client's pickle, encrypted with a key kept
 * in the user's secret storage, opaque to the server (docs/CONSOLE.md
 * "Sign-in and keys").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("dehydrated_devices")
    .addColumn("user_id", "text", (c) => c.primaryKey().notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("device_data", "text", (c) => c.notNull())
    .addColumn("created_ts", "integer", (c) => c.notNull())
    .execute();
}
