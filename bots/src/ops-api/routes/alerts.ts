/**
 * Crisis alerts (docs/CRISIS.md "Ops API"): `GET alerts` (a long poll on the
 * alerts' version), `POST alerts/{id}/acknowledge` ("I'm on it") and
 * `PUT me/on-call`. Companions and supervisors only.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { CrisisAlerts } from "../../crisis/crisis-alerts.ts";
import { ALERT_ID_PATTERN } from "../../crisis/alert-transitions.ts";
import type { StaffDirectory } from "../../queue/index.ts";
import type { OpsEnv } from "../env.ts";
import { readJson } from "../json.ts";
import { alertJson, staffJson } from "../shapes.ts";
import { invalidParam, notFound, requireBoolean } from "@onsafe/matrix-basics";

/** The longest a `GET alerts` waits: under the homeserver's forwarding timeout (35 s). */
export const MAX_ALERTS_WAIT_MS = 30_000;

export function alertRoutes(auth: MiddlewareHandler<OpsEnv>, alerts: CrisisAlerts, staff: StaffDirectory): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/alerts", auth, async (c) => {
    const after = integerQuery(c.req.query("after"), "after", 0, Number.MAX_SAFE_INTEGER);
    const wait = integerQuery(c.req.query("wait"), "wait", 0, MAX_ALERTS_WAIT_MS) ?? 0;
    // The request's signal aborts when the client goes away: the wait ends with it.
    if (after !== undefined) await alerts.feed.changedSince(after, wait, c.req.raw.signal);
    const version = alerts.feed.version;
    return c.json({ version, alerts: alerts.listedFor(c.get("staff").userId).map(alertJson) });
  });
  r.post("/alerts/:id/acknowledge", auth, async (c) => {
    await readJson(c);
    const id = c.req.param("id");
    if (!ALERT_ID_PATTERN.test(id)) throw notFound("No such alert");
    return c.json({ alert: alertJson(alerts.acknowledge(id, c.get("staff").userId)) });
  });
  r.put("/me/on-call", auth, async (c) => {
    const onCall = requireBoolean(await readJson(c), "on_call");
    const me = staff.setOnCall(c.get("staff").userId, onCall);
    return c.json(staffJson(me, staff.load(me.userId)));
  });
  return r;
}

/** A whole number in `min..max` from the query string, or undefined when absent. */
function integerQuery(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalidParam(`'${name}' must be a whole number from ${min} to ${max}`);
  return Number(raw);
}
