/**
 * Referrals (docs/REFERRALS.md): offering a partner for a case, the case's
 * referrals, marking one completed. Permission checks live in `Referrals`.
 * The summary is passed on into the encrypted room and never stored.
 * `GET me/referrals` is the one route here for partners' staff too.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { MyReferrals } from "../../referrals/my-referrals.ts";
import type { Referrals } from "../../referrals/referral-flow.ts";
import { MAX_SUMMARY_LENGTH } from "../../referrals/referral-flow.ts";
import type { OpsEnv } from "../env.ts";
import { caseIdParam, readJson } from "../json.ts";
import { partnerReferralJson, referralJson } from "../shapes.ts";
import { notFound, optionalString, requireString } from "@onsafe/matrix-basics";

export function referralRoutes(auth: MiddlewareHandler<OpsEnv>, authWithPartners: MiddlewareHandler<OpsEnv>, referrals: Referrals, mine: MyReferrals): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();

  r.get("/me/referrals", authWithPartners, (c) => {
    const view = mine.of(c.get("staff"));
    return c.json({ referrals: view.kind === "partner" ? view.referrals.map(partnerReferralJson) : view.referrals.map(referralJson) });
  });

  r.get("/cases/:id/referrals", auth, (c) => c.json({ referrals: referrals.ofCase(caseIdParam(c), c.get("staff")).map(referralJson) }));

  r.post("/cases/:id/referrals", auth, async (c) => {
    const id = caseIdParam(c);
    const body = await readJson(c);
    const partnerId = requireString(body, "partner_id");
    if (!/^p-[0-9a-z]{6}$/.test(partnerId)) throw notFound("No such partner");
    const summary = optionalString(body, "summary", MAX_SUMMARY_LENGTH);
    const referral = await referrals.offer(id, c.get("staff"), partnerId, body.items, summary);
    return c.json({ referral: referralJson(referral) });
  });

  r.post("/referrals/:id/complete", auth, async (c) => {
    await readJson(c);
    return c.json({ referral: referralJson(await referrals.complete(c.req.param("id"), c.get("staff"))) });
  });
  return r;
}
