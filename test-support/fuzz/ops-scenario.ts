/**
 * The ops API under fuzz: the bots service's app served on a port, tokens
 * checked by a real homeserver's whoami, the queue on an in-memory database
 * with a recording Matrix side. Requests go to the ops API's own port
 * (`direct`), or the way browsers send them (`proxy`): to a homeserver that
 * forwards `/_onsafe/` to it. Returns the run's report and whether the bots
 * database and the Matrix side stayed untouched.
 */
import { WEB_PUSH_APP_ID } from "@onsafe/schema";
import { botsConfigFromEnv } from "../../bots/src/config.ts";
import { loadCrisisLines } from "../../bots/src/content/crisis-lines.ts";
import { CrisisAlerts } from "../../bots/src/crisis/crisis-alerts.ts";
import { createOpsApi, startOpsApi, WhoamiResolver } from "../../bots/src/ops-api/index.ts";
import { PartnerDirectory } from "../../bots/src/partners/directory.ts";
import { MyReferrals } from "../../bots/src/referrals/my-referrals.ts";
import { type ReferralRooms, Referrals } from "../../bots/src/referrals/referral-flow.ts";
import { schedulingFixture } from "../../bots/src/scheduling/test-fixture.ts";
import { TestServer } from "../../chat-server/test/harness.ts";
import { rowsByTable } from "../database-rows.ts";
import { generateOps } from "./ops-requests.ts";
import { type FuzzReport, runFuzz } from "./runner.ts";

/** Nothing the fuzzer sends may reach the Matrix side of referrals. */
const NO_ROOMS: ReferralRooms = new Proxy({} as ReferralRooms, { get: () => () => { throw new Error("a fuzz request reached Matrix"); } });

/** No fuzz request may reach the push gateway (each is refused before it): one that did would be a 500 here. */
const NO_PUSH = {
  gateway: { notify: async (): Promise<never> => { throw new Error("a fuzz request reached the push gateway"); } },
  config: { gateway_url: "http://127.0.0.1:8009/_matrix/push/v1/notify", app_id: WEB_PUSH_APP_ID, vapid_public_key: "" },
};

export interface OpsFuzzRun {
  report: FuzzReport;
  databaseUnchanged: boolean;
  matrixActions: number;
}

export async function fuzzOpsApi(seed: number, count: number, via: "direct" | "proxy" = "direct", concurrency = 8): Promise<OpsFuzzRun> {
  const server = await TestServer.start();
  try {
    const mina = await server.createAccount("companion", "mina");
    const pat = await server.createAccount("partner", "pat");
    const gone = await server.createAccount("companion", "gone");
    await server.call(gone, "POST", "/logout", {});
    const visitor = await server.registerVisitor();
    const q = await schedulingFixture();
    const config = { ...botsConfigFromEnv({}), serverName: server.config.serverName };
    const app = createOpsApi({ config, queue: q, scheduler: q.scheduler, partners: new PartnerDirectory(q.tables, q.clock), referrals: new Referrals(q.tables, q.clock, NO_ROOMS, (id) => q.tables.partners.byId(id)), myReferrals: new MyReferrals(q.tables), crisisLines: loadCrisisLines(), alerts: new CrisisAlerts(q.tables, q.clock, { page: async () => {} }, { escalateMs: 120_000, onCallMs: 300_000 }), tokens: new WhoamiResolver(server.url), push: NO_PUSH });
    await q.staff.addOrUpdateStaff({ userId: mina.userId, kind: "companion", displayName: "Mina", languages: ["ko", "en"] });
    await q.staff.addOrUpdateStaff({ userId: pat.userId, kind: "partner", displayName: "Legal aid" });
    await q.staff.addOrUpdateStaff({ userId: gone.userId, kind: "companion", displayName: "Gone", languages: ["ko"] });
    const ops = await startOpsApi(app, { host: "127.0.0.1", port: 0 });
    try {
      const snapshot = () => JSON.stringify(rowsByTable(q.tables.db.sqlite));
      const before = snapshot();
      const calls = q.actions.calls.length;
      const context = { routes: app.routes, companionToken: mina.token, partnerToken: pat.token, visitorToken: visitor.token, expiredToken: gone.token, maxBodyBytes: 16 * 1024 };
      const front = via === "proxy" ? await TestServer.start({ botsUrl: ops.url }) : undefined;
      try {
        const report = await runFuzz(front?.url ?? ops.url, generateOps(context, seed, count), concurrency);
        return { report, databaseUnchanged: snapshot() === before, matrixActions: q.actions.calls.length - calls };
      } finally {
        await front?.close();
      }
    } finally {
      await ops.close();
    }
  } finally {
    await server.close();
  }
}
