/**
 * Issue 10, item 1 (homeserver half): every endpoint of the homeserver, tried
 * by every kind of caller, in and out of the room or user it names, with a
 * valid request, gets exactly the answer the policy gives, and a refused
 * request changes nothing. The route list comes from the app itself, so a
 * new endpoint cannot skip the matrix; `docs/AUTHZ-HOMESERVER.md` is rendered
 * from the same policy, so the document cannot go stale.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { tableNames } from "../../test-support/database-rows.ts";
import type { Reply } from "./harness.ts";
import { DOC_PATH, NOT_ENDPOINTS, renderTable, rowName, ROWS } from "./authz-matrix.ts";
import type { Cell, Probe, Row } from "./authz-matrix-policy.ts";
import { CALLER_KINDS, type CallerKind, World } from "./authz-matrix-world.ts";

const ERRCODES: Record<number, string> = { 401: "M_MISSING_TOKEN", 403: "M_FORBIDDEN", 404: "M_NOT_FOUND" };

/**
 * Rows inserted, updated or deleted through the homeserver's one database
 * connection since it opened: equal before and after a request means the
 * request wrote nothing at all (not even something it then rolled back).
 */
function writes(w: World): number {
  return (w.server.hs.store.sqlite.prepare("select total_changes() as n").get() as { n: number }).n;
}

/** Every table's rows, hashed, but for `except`: for answers that may touch only the caller's own bookkeeping. */
function snapshot(w: World, except: readonly string[]): Record<string, string> {
  const db = w.server.hs.store.sqlite;
  const tables = tableNames(db).filter((t) => !except.includes(t));
  return Object.fromEntries(tables.map((table) => {
    const rows = db.prepare(`select * from "${table}"`).raw().all();
    const text = JSON.stringify(rows, (_, v) => Buffer.isBuffer(v) ? v.toString("base64") : typeof v === "bigint" ? String(v) : v);
    return [table, createHash("sha256").update(text).digest("hex").slice(0, 16)];
  }));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

/** Why the answer breaks the cell, or undefined when it keeps it. */
function mismatch(expected: Exclude<Cell, "n/a">, reply: Reply): string | undefined {
  const got = `${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`;
  if (expected === 200 || expected === "hidden") return reply.status === 200 ? undefined : `expected 200, got ${got}`;
  if (reply.status !== expected || reply.body?.errcode !== ERRCODES[expected] || typeof reply.body?.error !== "string") {
    return `expected ${expected} ${ERRCODES[expected]}, got ${got}`;
  }
  return undefined;
}

/** Sends a cell's request (built beforehand) and says why the answer breaks the cell, or undefined when it keeps it. */
async function checkCell(w: World, row: Row, kind: CallerKind, inScope: boolean, probe: Probe | undefined): Promise<string | undefined> {
  const expected = row.expect(kind, inScope);
  const caller = w.callers.get(kind)!;
  if (!probe) return expected === "n/a" ? undefined : "the row built no request for a cell that applies";
  if (expected === "n/a") return "the row built a request for a cell marked n/a";
  const ownTables = expected === "hidden" ? row.ownTables ?? [] : undefined;
  const before = expected === 200 ? undefined : { writes: writes(w), tables: ownTables && snapshot(w, ownTables) };
  const account = probe.as ?? caller.account;
  const reply = await w.server.request(probe.method, probe.path, { token: account?.token, body: probe.body, raw: probe.raw, headers: probe.headers });
  const wrong = mismatch(expected, reply);
  if (wrong) return wrong;
  if (expected === "hidden" && row.reveals?.(reply, w) !== false) return `the answer gives the other user away: ${JSON.stringify(reply.body).slice(0, 200)}`;
  if (before?.tables) {
    const changed = changedTables(before.tables, snapshot(w, ownTables!));
    if (changed.length) return `the request changed ${changed.join(", ")}`;
  } else if (before && writes(w) !== before.writes) {
    return `a refused request wrote ${writes(w) - before.writes} row(s)`;
  }
  return undefined;
}

describe("the homeserver's authorization matrix", () => {
  let w: World;
  beforeAll(async () => { w = await World.build(); }, 60_000);
  afterAll(async () => { await w?.close(); });

  it("has a row for every route of the app, and none for a route that is gone", () => {
    const routes = createApp(w.server.hs).routes;
    const endpoints = routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
    const covered = new Set(ROWS.map((r) => `${r.method} ${r.route}`));
    expect(endpoints.filter((e) => !covered.has(e)), "routes with no row in the matrix (add one in chat-server/test/authz-matrix-*.ts)").toEqual([]);
    expect([...covered].filter((c) => !endpoints.includes(c)), "rows for routes the app no longer has").toEqual([]);
    expect(routes.filter((r) => r.method === "ALL").map((r) => r.path), "catch-all routes (NOT_ENDPOINTS in authz-matrix.ts)").toEqual(NOT_ENDPOINTS);
  });

  it("answers every cell as the policy says, and refused requests change nothing", async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const row of ROWS) {
      const cells = CALLER_KINDS.flatMap((kind) => (kind === "none" || row.scope === "—" ? [true] : [true, false]).map((inScope) => ({ kind, inScope })));
      const name = ({ kind, inScope }: (typeof cells)[number]) => `${rowName(row)} as ${kind}${kind === "none" || row.scope === "—" ? "" : inScope ? " (in)" : " (out)"}`;
      // Each cell sets up its own rooms and accounts, so a row's set-ups run together (their writes share commits); the requests under test go one by one.
      const probes = await Promise.all(cells.map(({ kind, inScope }) => row.build(w, w.callers.get(kind)!, inScope).catch((error: Error) => error)));
      for (const [i, cell] of cells.entries()) {
        const probe = probes[i];
        requests++;
        const failure = probe instanceof Error ? `set-up failed: ${probe.message}` : await checkCell(w, row, cell.kind, cell.inScope, probe);
        if (failure) failures.push(`${name(cell)}: ${failure}`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(ROWS.length * CALLER_KINDS.length);
  }, 120_000);

  it("is what docs/AUTHZ-HOMESERVER.md shows", () => {
    const table = renderTable(ROWS);
    if (process.env.ONSAFE_WRITE_AUTHZ === "1") writeFileSync(DOC_PATH, table);
    let onDisk = "";
    try { onDisk = readFileSync(DOC_PATH, "utf8"); } catch { /* missing: fails below */ }
    expect(onDisk, "docs/AUTHZ-HOMESERVER.md is stale: regenerate it with ONSAFE_WRITE_AUTHZ=1 npx vitest run chat-server/test/authz-matrix.test.ts").toBe(table);
  });
});
