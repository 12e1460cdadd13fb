/**
 * `GET me` (partners' staff too: the console shows them their own view),
 * `PUT me/shift`: the caller's own directory entry and shift;
 * `GET staff/on-shift`: colleagues to transfer to.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { StaffDirectory } from "../../queue/index.ts";
import type { OpsEnv } from "../env.ts";
import { readJson } from "../json.ts";
import { staffJson } from "../shapes.ts";
import { requireBoolean } from "@onsafe/matrix-basics";

export function meRoutes(auth: MiddlewareHandler<OpsEnv>, authWithPartners: MiddlewareHandler<OpsEnv>, staff: StaffDirectory): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/me", authWithPartners, (c) => {
    const me = c.get("staff");
    return c.json(staffJson(me, staff.load(me.userId)));
  });
  /** Colleagues on shift (companions and supervisors), to pick one for a transfer. */
  r.get("/staff/on-shift", auth, (c) => c.json({
    staff: staff.list().filter((m) => m.onShift && m.kind !== "partner").map((m) => staffJson(m, staff.load(m.userId))),
  }));
  r.put("/me/shift", auth, async (c) => {
    const onShift = requireBoolean(await readJson(c), "onShift");
    const me = await staff.setShift(c.get("staff").userId, onShift);
    return c.json(staffJson(me, staff.load(me.userId)));
  });
  return r;
}
