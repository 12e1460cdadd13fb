/** Access-token authentication for the Client-Server API. */
import type { MiddlewareHandler } from "hono";
import type { Accounts } from "../services/accounts.ts";
import type { VisitorActivity } from "../services/visitor-activity.ts";
import type { AppEnv } from "./env.ts";
import { MatrixError } from "@onsafe/matrix-basics";

export function tokenFrom(authorization: string | undefined, query: string | undefined): string | undefined {
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7).trim();
  return query || undefined;
}

/** Requires a valid token and puts the session on the context; a visitor's day of activity is noted. */
export function requireAuth(accounts: Accounts, activity: VisitorActivity): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = tokenFrom(c.req.header("authorization"), c.req.query("access_token"));
    if (!token) throw new MatrixError(401, "M_MISSING_TOKEN", "Missing access token");
    const session = accounts.resolveToken(token);
    if (!session) throw new MatrixError(401, "M_UNKNOWN_TOKEN", "Unknown access token", { soft_logout: false });
    c.set("session", session);
    activity.seen(session);
    await next();
  };
}
