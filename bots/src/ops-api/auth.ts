/**
 * Authentication: the bearer token is resolved by the homeserver, the user
 * looked up in the staff directory. Visitors and other unknown users are
 * refused. Partners' staff are let in only by `requireStaffOrPartner`, which
 * a route uses when it was written for them (docs/OPS-API.md); every other
 * route uses `requireStaff` and refuses them.
 */
import type { MiddlewareHandler } from "hono";
import type { StaffDirectory } from "../queue/index.ts";
import type { OpsEnv } from "./env.ts";
import type { TokenResolver } from "./whoami.ts";
import { forbidden, MatrixError } from "@onsafe/matrix-basics";

/** Companions and supervisors. */
export function requireStaff(tokens: TokenResolver, staff: StaffDirectory): MiddlewareHandler<OpsEnv> {
  return authenticate(tokens, staff, false);
}

/** Companions, supervisors and partners' staff: for the few routes that answer each kind in its own way. */
export function requireStaffOrPartner(tokens: TokenResolver, staff: StaffDirectory): MiddlewareHandler<OpsEnv> {
  return authenticate(tokens, staff, true);
}

function authenticate(tokens: TokenResolver, staff: StaffDirectory, partners: boolean): MiddlewareHandler<OpsEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!token) throw new MatrixError(401, "M_MISSING_TOKEN", "Missing access token");
    const member = staff.get(await tokens.resolve(token));
    if (!member) throw forbidden("The ops API is for staff");
    if (member.kind === "partner" && !partners) throw forbidden("Partners may use only GET me and GET me/referrals");
    c.set("staff", member);
    c.set("token", token);
    await next();
  };
}

export const requireSupervisor: MiddlewareHandler<OpsEnv> = async (c, next) => {
  if (c.get("staff").kind !== "supervisor") throw forbidden("Supervisors only");
  await next();
};
