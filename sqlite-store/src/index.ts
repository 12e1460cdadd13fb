/**
 * The one way onsafe's services keep an SQLite database: an owner-only file in
 * WAL mode with `synchronous=FULL` (a commit survives power loss) and
 * `secure_delete` (deleted rows are overwritten), migrated by Kysely's
 * Migrator, and queried synchronously: Kysely builds and type-checks each
 * query, better-sqlite3 runs it, so a decision can be read and written in one
 * synchronous transaction. Only this package knows the database is SQLite.
 */
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import {
  type Compilable,
  DummyDriver,
  Kysely,
  type MigrationProvider,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";

const MAX_CACHED_STATEMENTS = 1000;

export interface StoreOptions {
  /** The error a query gets once the database is closed (e.g. a request still in flight at shutdown). */
  closedError?: () => Error;
}

export class SqliteStore<DB> {
  /** Query builder only: never executes; queries run through `all`/`first`/`run`. */
  readonly q: Kysely<DB>;
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(readonly sqlite: SQLite.Database, private readonly options: StoreOptions = {}) {
    this.q = new Kysely<DB>({
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
   * page images from before an erasure do not linger in the -wal file. With
   * `secure_delete` the database pages are already clean.
   */
  truncateWal(): void {
    this.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  }

  close(): void {
    this.sqlite.close();
  }

  private statement(sql: string): SQLite.Statement {
    if (!this.sqlite.open && this.options.closedError) throw this.options.closedError();
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

/** Opens (creating owner-only if needed) `fileName` in `dataDir`, durable and migrated to the latest version. */
export async function openSqliteFile(dataDir: string, fileName: string, migrations: MigrationProvider): Promise<SQLite.Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, fileName);
  // Create the file owner-only first: SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(path, "a", 0o600));
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  return prepare(sqlite, migrations);
}

/** A throw-away database in memory, for tests. */
export function openSqliteMemory(migrations: MigrationProvider): Promise<SQLite.Database> {
  return prepare(new SQLite(":memory:"), migrations);
}

async function prepare(sqlite: SQLite.Database, migrations: MigrationProvider): Promise<SQLite.Database> {
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  // Not db.destroy(): that would close the shared connection.
  if (error) throw error;
  return sqlite;
}
