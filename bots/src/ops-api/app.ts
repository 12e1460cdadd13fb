/**
 * The ops API (DESIGN.md "Ops API"), served under `/_onsafe/v1/` (the
 * homeserver proxies that prefix here unchanged). Each route checks its own
 * token, so an unknown route is 404 M_UNRECOGNIZED before any token check.
 * Nothing is logged per request; replies are never cached.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { BotsConfig } from "../config.ts";
import type { CrisisLines } from "../content/crisis-lines.ts";
import type { CrisisAlerts } from "../crisis/crisis-alerts.ts";
import type { PartnerDirectory } from "../partners/directory.ts";
import type { Queue } from "../queue/index.ts";
import { requireStaff, requireStaffOrPartner } from "./auth.ts";
import { closeIfBodyUnread } from "./close-if-body-unread.ts";
import { RoomMembership } from "./room-membership.ts";
import type { OpsEnv } from "./env.ts";
import { errorResponse } from "./errors.ts";
import type { MyReferrals } from "../referrals/my-referrals.ts";
import type { Referrals } from "../referrals/referral-flow.ts";
import type { Scheduler } from "../scheduling/scheduler.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { appointmentRoutes } from "./routes/appointments.ts";
import { caseRoutes } from "./routes/cases.ts";
import { meRoutes } from "./routes/me.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { partnerRoutes } from "./routes/partners.ts";
import { referralRoutes } from "./routes/referrals.ts";
import { publicRoutes } from "./routes/public.ts";
import { pushConfigRoutes, pushGatewayRoutes } from "./routes/push.ts";
import { queueRoutes } from "./routes/queue.ts";
import type { TokenResolver } from "./whoami.ts";
import { MatrixError, unrecognized } from "@onsafe/matrix-basics";
import type { PushConfigJson } from "@onsafe/schema";
import type { PushGateway } from "../push/push-gateway.ts";

export const OPS_API_PREFIX = "/_onsafe/v1";
const MAX_BODY_BYTES = 16 * 1024;

export interface OpsApiDeps {
  config: Pick<BotsConfig, "serverName" | "hours" | "homeserverUrl">;
  queue: Queue;
  scheduler: Scheduler;
  partners: PartnerDirectory;
  referrals: Referrals;
  myReferrals: MyReferrals;
  crisisLines: CrisisLines;
  alerts: CrisisAlerts;
  /** Usually `new WhoamiResolver(config.homeserverUrl)`. */
  tokens: TokenResolver;
  /** The push gateway and what `GET push/config` answers (docs/CRISIS.md "Push"). */
  push: { gateway: Pick<PushGateway, "notify">; config: PushConfigJson };
}

export function createOpsApi({ config, queue, scheduler, partners, referrals, myReferrals, crisisLines, alerts, tokens, push }: OpsApiDeps): Hono<OpsEnv> {
  const app = new Hono<OpsEnv>({ strict: false });
  app.use("*", closeIfBodyUnread);
  app.use("*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  app.use("*", bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => { throw new MatrixError(413, "M_TOO_LARGE", `Request body over ${MAX_BODY_BYTES} bytes`); },
  }));

  const auth = requireStaff(tokens, queue.staff);
  // Partners' staff pass only on the routes given this one (GET me, GET me/referrals).
  const authWithPartners = requireStaffOrPartner(tokens, queue.staff);
  const api = new Hono<OpsEnv>();
  api.route("/", publicRoutes(config, crisisLines, queue.cases));
  api.route("/", meRoutes(auth, authWithPartners, queue.staff));
  api.route("/", queueRoutes(auth, queue.cases, queue.staffCases));
  api.route("/", caseRoutes(auth, queue.staffCases, new RoomMembership(config.homeserverUrl), queue.returning));
  api.route("/", metricsRoutes(auth, queue.metrics));
  api.route("/", appointmentRoutes(auth, scheduler));
  api.route("/", partnerRoutes(auth, partners));
  api.route("/", referralRoutes(auth, authWithPartners, referrals, myReferrals));
  api.route("/", alertRoutes(auth, alerts, queue.staff));
  api.route("/", pushConfigRoutes(auth, push.config));
  app.route(OPS_API_PREFIX, api);
  // The push gateway, for the homeserver on loopback only: outside OPS_API_PREFIX, the one prefix it forwards from outside.
  app.route("/", pushGatewayRoutes(push.gateway));

  app.notFound((c) => c.json(unrecognized().body(), 404));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
