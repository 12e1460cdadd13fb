/**
 * Staff authentication: the bearer token is resolved by the homeserver, the
 * user looked up in the staff directory. Visitors and other unknown users are
 * refused, and so are partners, who have no ops API routes yet.
 */
import type { MiddlewareHandler } from "hono";
import type { StaffDirectory } from "../queue/index.ts";
import type { OpsEnv } from "./env.ts";
import { forbidden, MatrixError } from "./errors.ts";
import type { TokenResolver } from "./whoami.ts";

export function requireStaff(tokens: TokenResolver, staff: StaffDirectory): MiddlewareHandler<OpsEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!token) throw new MatrixError(401, "M_MISSING_TOKEN", "Missing access token");
    const member = staff.get(await tokens.resolve(token));
    if (!member) throw forbidden("The ops API is for staff");
    if (member.kind === "partner") throw forbidden("Partners have no access to the ops API yet");
    c.set("staff", member);
    await next();
  };
}

export const requireSupervisor: MiddlewareHandler<OpsEnv> = async (c, next) => {
  if (c.get("staff").kind !== "supervisor") throw forbidden("Supervisors only");
  await next();
};
