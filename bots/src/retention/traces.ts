/**
 * For the retention tests: where a case's ids (its own, its room's, its
 * visitor's, its appointments', referrals' and rooms') still appear in the bots
 * database. Every table and column is read, not a list of known ones, so a table
 * added later that holds a case's id fails the tests until the erasure covers it.
 */
import type Database from "better-sqlite3";

export interface Trace {
  table: string;
  column: string;
  needle: string;
}

export function tracesOf(sqlite: Database.Database, needles: string[]): Trace[] {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  const found: Trace[] = [];
  for (const { name } of tables) {
    for (const row of sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        for (const needle of needles) {
          if (typeof value === "string" && value.includes(needle)) found.push({ table: name, column, needle });
        }
      }
    }
  }
  return found;
}

/** Every row of every table, as text, for "nothing else changed" checks. */
export function allRows(sqlite: Database.Database): string[] {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return tables.flatMap(({ name }) => (sqlite.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => `${name} ${JSON.stringify(row)}`));
}
