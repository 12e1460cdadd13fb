/** `GET me`, `PUT me/shift`: the caller's own directory entry and shift. */
import { Hono, type MiddlewareHandler } from "hono";
import type { StaffDirectory } from "../../queue/index.ts";
import type { OpsEnv } from "../env.ts";
import { readJson, requireBoolean } from "../json.ts";
import { staffJson } from "../shapes.ts";

export function meRoutes(auth: MiddlewareHandler<OpsEnv>, staff: StaffDirectory): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/me", auth, (c) => {
    const me = c.get("staff");
    return c.json(staffJson(me, staff.load(me.userId)));
  });
  r.put("/me/shift", auth, async (c) => {
    const onShift = requireBoolean(await readJson(c), "onShift");
    const me = await staff.setShift(c.get("staff").userId, onShift);
    return c.json(staffJson(me, staff.load(me.userId)));
  });
  return r;
}
