/**
 * The homeserver's SQLite database. Kysely builds and type-checks every query;
 * better-sqlite3 runs them synchronously, so a stream position can be allocated
 * and its rows inserted in one synchronous transaction (DESIGN.md "Ordering").
 * Migrations run through Kysely's own async Migrator on the same connection.
 */
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import {
  type Compilable,
  DummyDriver,
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { type HomeserverDatabase, homeserverMigrations } from "@onsafe/schema";
import { MatrixError } from "../http/errors.ts";

const MAX_CACHED_STATEMENTS = 1000;

export class Store {
  /** Query builder only: never executes, queries run through `all`/`first`/`run`. */
  readonly q: Kysely<HomeserverDatabase>;
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(readonly sqlite: SQLite.Database) {
    this.q = new Kysely<HomeserverDatabase>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
  }

  all<R>(query: Compilable<R>): R[] {
    const compiled = query.compile();
    return this.statement(compiled.sql).all(...(compiled.parameters as unknown[])) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const compiled = query.compile();
    return this.statement(compiled.sql).get(...(compiled.parameters as unknown[])) as R | undefined;
  }

  run(query: Compilable<unknown>): SQLite.RunResult {
    const compiled = query.compile();
    return this.statement(compiled.sql).run(...(compiled.parameters as unknown[]));
  }

  /** Runs `fn` in a transaction (a savepoint when already inside one). */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  /**
   * Copies the write-ahead log into the database and truncates it, so that
   * page images from before an erasure (redaction, deactivation) do not linger
   * in the -wal file. With `secure_delete` the database pages are already clean.
   */
  truncateWal(): void {
    this.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  }

  close(): void {
    this.sqlite.close();
  }

  private statement(sql: string): SQLite.Statement {
    // A request still in flight while the server stops (a long-poll waking up) gets a 503, not an internal error.
    if (!this.sqlite.open) throw new MatrixError(503, "M_UNKNOWN", "The server is shutting down");
    let statement = this.statements.get(sql);
    if (!statement) {
      // `in (…)` lists of varying length make new SQL texts: keep the cache bounded.
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Opens (creating if needed) `homeserver.sqlite` in `dataDir` and brings it up to date. */
export async function openStore(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, "homeserver.sqlite");
  // Create the file owner-only first: SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(path, "a", 0o600));
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  // An acknowledged message must survive power loss, not only a crash.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // Deleted and redacted content is overwritten, not left in free pages.
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  await migrate(sqlite);
  return new Store(sqlite);
}

async function migrate(sqlite: SQLite.Database): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: homeserverMigrations }).migrateToLatest();
  // Not db.destroy(): that would close the shared connection.
  if (error) throw error;
}
