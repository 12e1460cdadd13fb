import type { Kysely } from "kysely";

// Migrations take an untyped Kysely: they describe the schema, the types follow it.
// Stream positions that key a table are INTEGER PRIMARY KEY: SQLite's rowid, no extra index.
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await s.createTable("users")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("localpart", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("displayname", "text")
    .addColumn("avatar_url", "text")
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .addColumn("deactivated", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await s.createTable("devices")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("devices_pk", ["user_id", "device_id"])
    .execute();

  await s.createTable("access_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .execute();
  await s.createIndex("access_tokens_device").on("access_tokens").columns(["user_id", "device_id"]).execute();

  await s.createTable("rooms")
    .addColumn("room_id", "text", (c) => c.primaryKey())
    .addColumn("creator", "text", (c) => c.notNull())
    .addColumn("room_version", "text", (c) => c.notNull())
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .execute();

  await s.createTable("events")
    .addColumn("stream_pos", "integer", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().unique())
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state_key", "text")
    .addColumn("sender", "text", (c) => c.notNull())
    .addColumn("origin_server_ts", "bigint", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("replaces_state", "text")
    .addColumn("redacted_by", "text")
    .addColumn("txn_device_id", "text")
    .addColumn("txn_scope", "text")
    .addColumn("txn_id", "text")
    .execute();
  await s.createIndex("events_room_pos").on("events").columns(["room_id", "stream_pos"]).execute();
  // A transaction id is the client's for one device and one request path (spec: "Transaction identifiers").
  await s.createIndex("events_txn").on("events").columns(["sender", "txn_device_id", "txn_id", "room_id", "txn_scope"]).unique()
    .where("txn_id", "is not", null).execute();

  await s.createTable("room_state")
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state_key", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("stream_pos", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("room_state_pk", ["room_id", "type", "state_key"])
    .execute();

  await s.createTable("memberships")
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("membership", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("stream_pos", "bigint", (c) => c.notNull())
    .addColumn("visible_from", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("memberships_pk", ["room_id", "user_id"])
    .execute();
  await s.createIndex("memberships_user").on("memberships").columns(["user_id", "membership"]).execute();

  await s.createTable("receipts")
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("receipt_type", "text", (c) => c.notNull())
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("ts", "bigint", (c) => c.notNull())
    .addColumn("stream_pos", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("receipts_pk", ["room_id", "user_id", "receipt_type", "thread_id"])
    .execute();
  await s.createIndex("receipts_room_pos").on("receipts").columns(["room_id", "stream_pos"]).execute();
  // Which rooms have new receipts since a sync token, without visiting every room.
  await s.createIndex("receipts_pos").on("receipts").column("stream_pos").execute();

  await s.createTable("account_data")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("stream_pos", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_data_pk", ["user_id", "room_id", "type"])
    .execute();
  await s.createIndex("account_data_user_pos").on("account_data").columns(["user_id", "stream_pos"]).execute();

  await s.createTable("to_device")
    .addColumn("stream_pos", "integer", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("sender", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .execute();
  await s.createIndex("to_device_target").on("to_device").columns(["user_id", "device_id", "stream_pos"]).execute();

  await s.createTable("to_device_txns")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("txn_id", "text", (c) => c.notNull())
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("to_device_txns_pk", ["user_id", "device_id", "txn_id"])
    .execute();

  await s.createTable("device_keys")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("key_json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("device_keys_pk", ["user_id", "device_id"])
    .execute();

  await s.createTable("one_time_keys")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("key_json", "text", (c) => c.notNull())
    .addColumn("upload_seq", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("one_time_keys_pk", ["user_id", "device_id", "key_id"])
    .execute();

  await s.createTable("fallback_keys")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("key_json", "text", (c) => c.notNull())
    .addColumn("used", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("fallback_keys_pk", ["user_id", "device_id", "algorithm"])
    .execute();

  await s.createTable("cross_signing_keys")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("key_type", "text", (c) => c.notNull())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("key_json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cross_signing_keys_pk", ["user_id", "key_type"])
    .execute();

  await s.createTable("key_signatures")
    .addColumn("target_user_id", "text", (c) => c.notNull())
    .addColumn("target_key_id", "text", (c) => c.notNull())
    .addColumn("signer_user_id", "text", (c) => c.notNull())
    .addColumn("signer_key_id", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("key_signatures_pk", ["target_user_id", "target_key_id", "signer_user_id", "signer_key_id"])
    .execute();

  await s.createTable("device_list_changes")
    .addColumn("stream_pos", "integer", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("visible_to", "text")
    .execute();
  await s.createIndex("device_list_changes_user").on("device_list_changes").columns(["user_id", "stream_pos"]).execute();
  await s.createIndex("device_list_changes_visible").on("device_list_changes").columns(["visible_to", "stream_pos"]).execute();

  await s.createTable("room_key_versions")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("auth_data", "text", (c) => c.notNull())
    .addColumn("etag", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("room_key_versions_pk", ["user_id", "version"])
    .execute();

  await s.createTable("room_keys")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("room_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("key_data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("room_keys_pk", ["user_id", "version", "room_id", "session_id"])
    .execute();

  await s.createTable("media")
    .addColumn("media_id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("upload_name", "text")
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_ts", "bigint", (c) => c.notNull())
    .execute();

  await s.createTable("filters")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("filter_id", "integer", (c) => c.notNull())
    .addColumn("filter_json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("filters_pk", ["user_id", "filter_id"])
    .execute();
}
