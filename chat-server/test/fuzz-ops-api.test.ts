/**
 * Issue 10's fuzzer on the ops API (test-support/fuzz/ops-requests.ts): the
 * bots service's app served on a port, tokens checked by a real homeserver's
 * whoami, the queue on an in-memory database. No 5xx, Matrix errors only,
 * nothing accepted, the bots database unchanged and nothing sent to Matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botsConfigFromEnv } from "../../bots/src/config.ts";
import { loadCrisisLines } from "../../bots/src/content/crisis-lines.ts";
import { createOpsApi, type RunningOpsApi, startOpsApi, WhoamiResolver } from "../../bots/src/ops-api/index.ts";
import { PartnerDirectory } from "../../bots/src/partners/directory.ts";
import { MyReferrals } from "../../bots/src/referrals/my-referrals.ts";
import { type ReferralRooms, Referrals } from "../../bots/src/referrals/referrals.ts";
import { type SchedulingFixture, schedulingFixture } from "../../bots/src/scheduling/test-fixture.ts";
import { generateOps } from "../../test-support/fuzz/ops-requests.ts";
import { runFuzz } from "../../test-support/fuzz/runner.ts";
import { TestServer } from "./harness.ts";

/** Nothing the fuzzer sends may reach the Matrix side of referrals. */
const NO_ROOMS: ReferralRooms = new Proxy({} as ReferralRooms, { get: () => () => { throw new Error("a fuzz request reached Matrix"); } });

describe("fuzzing the ops API", () => {
  let server: TestServer;
  let q: SchedulingFixture;
  let ops: RunningOpsApi;
  let app: ReturnType<typeof createOpsApi>;
  const tokens = { companion: "", partner: "", visitor: "", expired: "" };

  beforeAll(async () => {
    server = await TestServer.start();
    const mina = await server.createAccount("companion", "mina");
    const pat = await server.createAccount("partner", "pat");
    const gone = await server.createAccount("companion", "gone");
    await server.call(gone, "POST", "/logout", {});
    Object.assign(tokens, { companion: mina.token, partner: pat.token, visitor: (await server.registerVisitor()).token, expired: gone.token });
    q = await schedulingFixture();
    const config = { ...botsConfigFromEnv({}), serverName: server.config.serverName };
    app = createOpsApi({ config, queue: q, scheduler: q.scheduler, partners: new PartnerDirectory(q.tables, q.clock), referrals: new Referrals(q.tables, q.clock, NO_ROOMS, (id) => q.tables.partners.byId(id)), myReferrals: new MyReferrals(q.tables), crisisLines: loadCrisisLines(), tokens: new WhoamiResolver(server.url) });
    await q.staff.addOrUpdateStaff({ userId: mina.userId, kind: "companion", displayName: "Mina", languages: ["ko", "en"] });
    await q.staff.addOrUpdateStaff({ userId: pat.userId, kind: "partner", displayName: "Legal aid" });
    await q.staff.addOrUpdateStaff({ userId: gone.userId, kind: "companion", displayName: "Gone", languages: ["ko"] });
    ops = await startOpsApi(app, { host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await ops?.close();
    await server?.close();
  });

  const snapshot = () => {
    const db = q.tables.db.sqlite;
    const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
    return JSON.stringify(tables.map((t) => [t, db.prepare(`select * from "${t}"`).all()]));
  };

  it("refuses 3,000 hostile requests cleanly and changes nothing", async () => {
    const before = snapshot();
    const calls = q.actions.calls.length;
    const context = { routes: app.routes, companionToken: tokens.companion, partnerToken: tokens.partner, visitorToken: tokens.visitor, expiredToken: tokens.expired, maxBodyBytes: 16 * 1024 };
    const report = await runFuzz(ops.url, generateOps(context, 20261126, 3_000), 8);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(3_000);
    // The run reaches every layer: the token check, the staff check, the handlers' validation and lookups, the body limit.
    for (const status of [400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(snapshot()).toBe(before);
    expect(q.actions.calls.length).toBe(calls);
  }, 120_000);
});
