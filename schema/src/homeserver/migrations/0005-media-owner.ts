import type { Kysely } from "kysely";

/**
 * Media by owner: the upload quota (issue 21) sums an account's files at each
 * upload, and deleting an account looks its files up; both scanned the whole
 * table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("media_by_owner").on("media").column("user_id").execute();
}
