/**
 * The homeserver's SQLite database (`homeserver.sqlite`), opened and queried
 * the one way onsafe does it (`@onsafe/sqlite-store`): synchronously, so a
 * stream position can be allocated and its rows inserted in one synchronous
 * transaction (DESIGN.md "Ordering").
 */
import { type HomeserverDatabase, homeserverMigrations } from "@onsafe/schema";
import { openSqliteFile, SqliteStore } from "@onsafe/sqlite-store";
import { MatrixError } from "@onsafe/matrix-basics";

export type Store = SqliteStore<HomeserverDatabase>;

const WAL_CHECKPOINT_PAGES = 10_000;

/** What a query gets once the database is closed: a request still in flight while the server stops (a long-poll waking up) gets a 503, not an internal error. */
export const closedError = () => new MatrixError(503, "M_UNKNOWN", "The server is shutting down");

/** Opens (creating if needed) `homeserver.sqlite` in `dataDir` and brings it up to date. */
export async function openStore(dataDir: string): Promise<Store> {
  const sqlite = await openSqliteFile(dataDir, "homeserver.sqlite", homeserverMigrations);
  // Copy the write-ahead log into the database every ~40 MB instead of SQLite's ~4 MB: a busy send
  // stream dirties ~250 index pages per commit, so the default checkpointed every few commits, on the
  // request path, writing pages that the next commits changed again (docs/BENCHMARKS.md, write throughput).
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  return new SqliteStore<HomeserverDatabase>(sqlite, { closedError });
}
