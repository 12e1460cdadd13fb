/**
 * Reading a whole SQLite database in tests: for "a refused request changed
 * nothing" (compare before and after) and "nothing of this case is left" (look
 * for its ids). Every table is read, not a list of known ones, so a table added
 * later is covered without touching the tests. SQLite's own tables are left out.
 */
import type Database from "better-sqlite3";

export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((t) => t.name);
}

/** Every table with its rows, as objects, tables by name. */
export function rowsByTable(db: Database.Database): [table: string, rows: Record<string, unknown>[]][] {
  return tableNames(db).map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]]);
}

/** Every row of every table, as text, for "nothing else changed" checks. */
export function allRows(db: Database.Database): string[] {
  return rowsByTable(db).flatMap(([table, rows]) => rows.map((row) => `${table} ${JSON.stringify(row)}`));
}

export interface Trace {
  table: string;
  column: string;
  needle: string;
}

/** Where any of `needles` (ids) still appears in a text column of any row. */
export function tracesOf(db: Database.Database, needles: string[]): Trace[] {
  const found: Trace[] = [];
  for (const [table, rows] of rowsByTable(db)) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        for (const needle of needles) {
          if (typeof value === "string" && value.includes(needle)) found.push({ table, column, needle });
        }
      }
    }
  }
  return found;
}
