/**
 * The partner directory (docs/REFERRALS.md "Partner directory"): all staff
 * read the active partners, supervisors add, change and deactivate them.
 * Values are checked by the directory; handlers check types and shape.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { PartnerKind } from "@onsafe/schema";
import type { PartnerChanges, PartnerDirectory } from "../../partners/directory.ts";
import { requireSupervisor } from "../auth.ts";
import type { OpsEnv } from "../env.ts";
import { readJson, requireKoEn } from "../json.ts";
import { partnerJson } from "../shapes.ts";
import { ifGiven, type JsonObject, requireBoolean, requireString, requireStringArray } from "@onsafe/matrix-basics";

export function partnerRoutes(auth: MiddlewareHandler<OpsEnv>, partners: PartnerDirectory): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();

  r.get("/partners", auth, (c) => c.json({ partners: partners.list().map(partnerJson) }));

  r.post("/partners", auth, requireSupervisor, async (c) => {
    const body = await readJson(c);
    const partner = partners.create({
      kind: requireString(body, "kind") as PartnerKind,
      name: requireKoEn(body, "name"),
      about: requireKoEn(body, "about"),
      region: requireString(body, "region"),
      languages: requireStringArray(body, "languages"),
      hours: requireString(body, "hours"),
      contact: requireString(body, "contact"),
      staffIds: ifGiven(body, "staff_ids", requireStringArray) ?? [],
    });
    return c.json({ partner: partnerJson(partner) });
  });

  r.put("/partners/:id", auth, requireSupervisor, async (c) => {
    const changes = partnerChanges(await readJson(c));
    return c.json({ partner: partnerJson(partners.update(c.req.param("id"), changes)) });
  });

  r.delete("/partners/:id", auth, requireSupervisor, (c) => c.json({ partner: partnerJson(partners.deactivate(c.req.param("id"))) }));
  return r;
}

function partnerChanges(body: JsonObject): PartnerChanges {
  return {
    kind: ifGiven(body, "kind", requireString) as PartnerKind | undefined,
    name: ifGiven(body, "name", requireKoEn),
    about: ifGiven(body, "about", requireKoEn),
    region: ifGiven(body, "region", requireString),
    languages: ifGiven(body, "languages", requireStringArray),
    hours: ifGiven(body, "hours", requireString),
    contact: ifGiven(body, "contact", requireString),
    staffIds: ifGiven(body, "staff_ids", requireStringArray),
    active: ifGiven(body, "active", requireBoolean),
  };
}
