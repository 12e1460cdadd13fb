/**
 * The ops API's authorization matrix (issue 10): every route of the app's own
 * route table, tried by every kind of caller (no token, unknown token,
 * visitor, bot, admin, partner, companion, supervisor) on a resource of their
 * own and on someone else's, as valid requests through the homeserver's
 * `/_onsafe/` forwarding to the real bots service. Each answer must be the one
 * the policy table (`ops-authz-matrix.ts`, written from the docs) gives; a
 * refused request must leave the bots database and the homeserver's rooms as
 * they were; a sample answers the same on the ops API's own port. The table
 * is docs/AUTHZ-OPS-API.md, which must match it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../chat-server/test/harness.ts";
import { rowsByTable } from "../../test-support/database-rows.ts";
import { botsConfigFromEnv } from "../src/config.ts";
import { loadCrisisLines } from "../src/content/crisis-lines.ts";
import { createOpsApi, OPS_API_PREFIX } from "../src/ops-api/index.ts";
import { errcodeOf, expected, type Kind, KINDS, POLICY, rowName, scopesOf } from "./ops-authz-matrix.ts";
import { AUTHZ_DOC, REGENERATE, renderAuthzDoc } from "./ops-authz-matrix-doc.ts";
import { buildWorld, ownerOf, requestFor, undo, type World } from "./ops-authz-matrix-world.ts";
import { Stack } from "./stack.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");

/** `METHOD /path` of every ops API route the app serves (not the push gateway's, which is outside the prefix), from its own route table (its dependencies are not called while routes are listed). */
function appRoutes(): string[] {
  const unused = {} as never;
  const app = createOpsApi({ config: botsConfigFromEnv({}), queue: unused, scheduler: unused, partners: unused, referrals: unused, myReferrals: unused, crisisLines: loadCrisisLines(), alerts: unused, tokens: unused, push: unused });
  return [...new Set(app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith(OPS_API_PREFIX)).map((r) => `${r.method} ${r.path.slice(OPS_API_PREFIX.length)}`))];
}

describe("the policy table", () => {
  it("has a row for every route of the ops API and none for a route that is gone", () => {
    const routes = appRoutes();
    const rows = POLICY.map((r) => r.route);
    const names = POLICY.map(rowName);
    expect(new Set(names).size, "one row per route and case state").toBe(names.length);
    expect({ withoutRow: routes.filter((r) => !rows.includes(r)), gone: rows.filter((r) => !routes.includes(r)) }).toEqual({ withoutRow: [], gone: [] });
  });

  it(`is what ${AUTHZ_DOC} says`, () => {
    const path = join(REPO_ROOT, AUTHZ_DOC);
    const doc = renderAuthzDoc();
    if (process.env.ONSAFE_WRITE_AUTHZ === "1") writeFileSync(path, doc);
    let onDisk = "";
    try { onDisk = readFileSync(path, "utf8"); } catch { /* missing: fails below */ }
    expect(onDisk === doc, `${AUTHZ_DOC} is stale or missing: regenerate it with ${REGENERATE}`).toBe(true);
  });
});

/** Rows whose cells are also sent straight to the ops API's port (writes: only the refused cells). */
const DIRECT = new Set(["GET /me", "GET /metrics", "GET /cases/:id", "GET /cases/:id/appointments", "POST /partners", "POST /cases/:id/close", "DELETE /me/availability/:slotId"]);

describe("every cell against the running service", () => {
  let stack: Stack;
  let world: World;
  let botsDb: Database.Database;

  beforeAll(async () => {
    // Offers must not lapse mid-run: a re-offer would change the database under a refused request.
    // Nor may a crisis alert be paged mid-run: a page would change the homeserver under a refused request.
    stack = await Stack.start({ offerTimeoutMs: 3_600_000, crisisEscalateMs: 3_600_000, crisisOnCallMs: 3_600_000 });
    world = await buildWorld(stack);
    botsDb = new Database(join(stack.config.dataDir, "bots.sqlite"), { readonly: true });
  }, 300_000);
  afterAll(async () => {
    botsDb?.close();
    await stack?.close();
  });

  /** Every row of the bots database and the homeserver's room records: what a refused request must not change. */
  function snapshot(): string {
    const bots = rowsByTable(botsDb);
    const matrix = ["events", "memberships", "rooms", "room_state", "media"].map((t) => [t, stack.hs.count(t)]);
    return JSON.stringify({ bots, matrix });
  }

  async function direct(account: Account | undefined, method: string, path: string, body: unknown) {
    const headers: Record<string, string> = account ? { authorization: `Bearer ${account.token}` } : {};
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${stack.bots.url}${OPS_API_PREFIX}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() as { errcode?: string } };
  }

  it("answers each kind of caller as the policy says, and a refusal changes nothing", async () => {
    const wrong: string[] = [];
    let sent = 0;
    let directly = 0;
    for (const row of POLICY) {
      const cells = KINDS.flatMap((kind) => scopesOf(row, kind).map((scope) => ({ kind, scope, want: expected(row, kind, scope) })));
      // Refusals first: an allowed write (a claim, a cancel, a close) may use the resource up.
      const ordered = [...cells.filter((c) => c.want !== 200), ...cells.filter((c) => c.want === 200)];
      for (const { kind, scope, want } of ordered) {
        const name = `${rowName(row)} as ${kind} (${scope})`;
        const { method, path, body } = requestFor(world, row, kind, scope);
        const caller = world.callers[kind];
        const before = want === 200 ? "" : snapshot();
        const reply = await stack.ops(caller, method, path, body);
        sent++;
        const got = { status: reply.status, errcode: reply.body?.errcode };
        const should = { status: want, errcode: errcodeOf(kind, want) };
        if (got.status !== should.status || got.errcode !== should.errcode) {
          wrong.push(`${name}: expected ${should.status} ${should.errcode ?? ""}, got ${got.status} ${got.errcode ?? ""} ${reply.body?.error ?? ""}`);
        }
        if (DIRECT.has(row.route) && (method === "GET" || want !== 200)) {
          const straight = await direct(caller, method, path, body);
          directly++;
          if (straight.status !== got.status || straight.body.errcode !== got.errcode) {
            wrong.push(`${name}: ${got.status} ${got.errcode ?? ""} through the homeserver, ${straight.status} ${straight.body.errcode ?? ""} on the ops API's port`);
          }
        }
        if (want !== 200 && snapshot() !== before) wrong.push(`${name}: refused, but the bots database or the homeserver changed`);
        if (want === 200 && got.status === 200) {
          wrong.push(...othersIn(world, row.route, kind, reply.body));
          await undo(world, row.route, kind, scope);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(sent).toBe(cellCount());
    expect(directly).toBeGreaterThanOrEqual(40);
  }, 300_000);
});

/** The caller's own lists (`GET me/…`) name their own cases, slots, appointments and referrals, never Jun's. */
const OWN_LISTS: Record<string, keyof Pick<World, "cases" | "slots" | "appointments" | "referrals">> = {
  "GET /me/cases": "cases", "GET /me/availability": "slots", "GET /me/appointments": "appointments", "GET /me/referrals": "referrals",
};

function othersIn(w: World, route: string, kind: Kind, body: unknown): string[] {
  const list = OWN_LISTS[route];
  if (!list || (kind !== "companion" && kind !== "supervisor")) return [];
  const text = JSON.stringify(body);
  const own = w[list][ownerOf(kind, "own")];
  const problems: string[] = [];
  for (const jun of [w.cases.jun, w.slots.jun, w.appointments.jun, w.referrals.jun]) {
    if (text.includes(jun)) problems.push(`${route} as ${kind} shows ${jun}, which is Jun's`);
  }
  if (!text.includes(own)) problems.push(`${route} as ${kind} does not show their own ${own}`);
  return problems;
}

function cellCount(): number {
  return POLICY.reduce((n, row) => n + KINDS.reduce((m, kind: Kind) => m + scopesOf(row, kind).length, 0), 0);
}
