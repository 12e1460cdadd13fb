/**
 * Push rules: the spec's defaults, read-only. Only staff consoles may have
 * pushers (api/pushers.ts: victims must not get notifications that reveal the
 * service on a lock screen), and crisis pages must not be silenced by a rule
 * set once and forgotten, so writes are refused clearly.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { defaultPushRules } from "../services/default-push-rules.ts";
import { forbidden, type JsonObject, notFound } from "@onsafe/matrix-basics";

export function pushRuleRoutes() {
  const r = new Hono<AppEnv>({ strict: false });
  const P = "/_matrix/client/v3/pushrules";
  r.get(P, (c) => c.json({ global: defaultPushRules(c.get("session").userId) }));
  r.get(`${P}/global`, (c) => c.json(defaultPushRules(c.get("session").userId)));
  r.get(`${P}/global/:kind/:ruleId/:attribute?`, (c) => {
    const rules = defaultPushRules(c.get("session").userId)[c.req.param("kind")] as JsonObject[] | undefined;
    const rule = rules?.find((r) => r.rule_id === c.req.param("ruleId"));
    if (!rule) throw notFound("Unknown push rule");
    const attribute = c.req.param("attribute");
    if (attribute === "enabled") return c.json({ enabled: rule.enabled });
    if (attribute === "actions") return c.json({ actions: rule.actions });
    if (attribute !== undefined) throw notFound("Unknown push rule attribute");
    return c.json(rule);
  });
  const refuse = () => { throw forbidden("Push rules are fixed on this server"); };
  r.put(`${P}/global/:kind/:ruleId/:attribute?`, refuse);
  r.delete(`${P}/global/:kind/:ruleId`, refuse);
  return r;
}
