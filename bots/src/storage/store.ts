/**
 * The bots database (`bots.sqlite`). Kysely builds and type-checks every query;
 * better-sqlite3 runs them synchronously, so a routing decision is read and
 * written in one synchronous transaction and two timers can never offer one
 * case twice. Migrations run through Kysely's async Migrator on the same
 * connection. Only this file knows the database is SQLite.
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
import { type BotsDatabase, botsMigrations } from "@onsafe/schema";

export class BotsStore {
  /** Query builder only: never executes; queries run through `all`/`first`/`run`. */
  readonly q: Kysely<BotsDatabase>;
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(readonly sqlite: SQLite.Database) {
    this.q = new Kysely<BotsDatabase>({
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

  close(): void {
    this.sqlite.close();
  }

  private statement(sql: string): SQLite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Opens (creating if needed) `bots.sqlite` in `dataDir`, owner-only, and brings it up to date. */
export async function openBotsStore(dataDir: string): Promise<BotsStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, "bots.sqlite");
  // Create the file owner-only first: SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(path, "a", 0o600));
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  // A recorded assignment or outcome must survive power loss, not only a crash.
  sqlite.pragma("synchronous = FULL");
  return prepare(sqlite);
}

/** A throw-away database in memory, for tests. */
export async function openMemoryBotsStore(): Promise<BotsStore> {
  return prepare(new SQLite(":memory:"));
}

async function prepare(sqlite: SQLite.Database): Promise<BotsStore> {
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: botsMigrations }).migrateToLatest();
  // Not db.destroy(): that would close the shared connection.
  if (error) throw error;
  return new BotsStore(sqlite);
}
