/**
 * No SQL outside storage/ (issue 20): every query of the homeserver is in
 * `chat-server/src/storage/`, every query of the bots in `bots/src/storage/`.
 * dependency-cruiser (`npm run lint:deps`) sees imports, not a service that builds
 * a query on `store.q`, so this test reads the code for query building and running.
 * A failure lists each `file:line` and what it found there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Query building (Kysely), raw SQL, prepared statements and running a query on the store. */
const SQL_PATTERNS: [RegExp, string][] = [
  [/\.(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(/, "Kysely query"],
  [/\bsql(`|<|\.\w)/, "Kysely sql`…`"],
  [/\.prepare\(/, "prepared statement"],
  [/\bprepared\(/, "storage/prepared.ts statement"],
  [/\.q\b/, "the store's query builder (store.q)"],
  [/\bstore\.(all|first|run)\(/, "running a query on the store"],
  [/\bsqlite\./, "better-sqlite3 connection"],
  [/\.pragma\(/, "SQLite pragma"],
];

/** The folders scanned and the storage folder each may keep its SQL in. */
const SCANNED = [
  { dir: "chat-server/src", storage: "chat-server/src/storage/" },
  { dir: "bots/src", storage: "bots/src/storage/" },
];

/**
 * Files allowed SQL outside storage/, with the reason. Keep it short; the same
 * exception is in .dependency-cruiser.cjs (sql-only-in-storage).
 */
const ALLOWED: Record<string, string> = {
  "bots/src/runtime/persistent-indexeddb.ts":
    "the SDK's crypto store (fake-indexeddb) kept in its own SQLite file: runtime's, no bots table",
};

const isTest = (path: string) => /\.test\.tsx?$|(^|\/)test-(fixture|helpers)\.ts$|(^|\/)test\//.test(path);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The line without its `//` comment, or "" for a line of a block comment. */
function code(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith("*") || trimmed.startsWith("/*")) return "";
  const comment = line.search(/(^|[^:"'`])\/\//);
  return comment === -1 ? line : line.slice(0, comment);
}

function sqlOutsideStorage(): string[] {
  const found: string[] = [];
  for (const { dir, storage } of SCANNED) {
    for (const file of sourceFiles(dir)) {
      if (file.startsWith(storage) || isTest(file) || file in ALLOWED) continue;
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          const text = code(line);
          const hits = SQL_PATTERNS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
          if (hits.length > 0) found.push(`${relative(root, join(root, file))}:${i + 1}: ${hits.join(", ")}: ${line.trim().slice(0, 100)}`);
        });
    }
  }
  return found;
}

describe("architecture: no SQL outside storage/", () => {
  it("chat-server/src and bots/src build and run queries only in their storage/ folders", () => {
    const found = sqlOutsideStorage();
    const files = new Set(found.map((f) => f.split(":")[0]));
    const list = `SQL outside storage/ (issue 20): ${found.length} lines in ${files.size} files; move these queries into a store in storage/:\n  ${found.join("\n  ")}\n`;
    expect(found.length, list).toBe(0);
  });
});
