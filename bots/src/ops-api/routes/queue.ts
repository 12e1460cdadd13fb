/** `GET queue`: the cases waiting for a companion, in the order they will be offered, then the caller's pending transfers. */
import { Hono, type MiddlewareHandler } from "hono";
import type { CaseService, StaffCases } from "../../queue/index.ts";
import type { OpsEnv } from "../env.ts";
import { queueEntryJson } from "../shapes.ts";

export function queueRoutes(auth: MiddlewareHandler<OpsEnv>, cases: CaseService, staffCases: StaffCases): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/queue", auth, (c) => c.json({ open: cases.isOpen(), cases: staffCases.queue(c.get("staff")).map(queueEntryJson) }));
  return r;
}
