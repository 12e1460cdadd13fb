import type { Kysely } from "kysely";

/**
 * Matrix pushers (issue 22): a staff member's console sets one per browser so
 * crisis pages reach their device through our push gateway. A pusher belongs to
 * the device whose token set it and goes with it; `data` is the pusher's JSON
 * (the gateway URL and the Web Push subscription's endpoint and auth secret),
 * never anything of a message.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("pushers")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("app_id", "text", (c) => c.notNull())
    .addColumn("pushkey", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("lang", "text", (c) => c.notNull())
    .addColumn("device_display_name", "text", (c) => c.notNull())
    .addColumn("app_display_name", "text", (c) => c.notNull())
    .addColumn("profile_tag", "text")
    .addColumn("pushkey_ts", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("pushers_pk", ["user_id", "app_id", "pushkey"])
    .execute();
  // `append: false` removes other users' pushers with the same app id and pushkey.
  await db.schema.createIndex("pushers_by_key").on("pushers").columns(["app_id", "pushkey"]).execute();
}
