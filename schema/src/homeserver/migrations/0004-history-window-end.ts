import type { Kysely } from "kysely";

/**
 * The end of the history a former member may still read: the position of
 * their leave (or ban, or declined invite), kept when a later ban or unban
 * moves their membership on without their being in the room again; null
 * while they are joined or invited (issue 21: a ban after the leave, even
 * after `/forget`, reopened what was sent since). Rows from before this
 * column end at their membership's own position (`stream_pos`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("memberships").addColumn("visible_to", "bigint").execute();
}
