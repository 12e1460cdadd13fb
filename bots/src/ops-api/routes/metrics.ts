/** `GET metrics`: supervisors only; counts and durations, no content. */
import { Hono, type MiddlewareHandler } from "hono";
import type { Metrics } from "../../queue/index.ts";
import { requireSupervisor } from "../auth.ts";
import type { OpsEnv } from "../env.ts";
import { metricsJson } from "../shapes.ts";

export function metricsRoutes(auth: MiddlewareHandler<OpsEnv>, metrics: Metrics): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/metrics", auth, requireSupervisor, (c) => c.json(metricsJson(metrics.snapshot())));
  return r;
}
