import type { StaffMember } from "../storage/index.ts";

/** Hono environment of the ops API: the authenticated staff member. */
export interface OpsEnv {
  Variables: { staff: StaffMember };
}
