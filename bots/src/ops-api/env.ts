import type { StaffMember } from "../storage/index.ts";

/** Hono environment of the ops API: the authenticated staff member, and their token for asking the homeserver as them. */
export interface OpsEnv {
  Variables: { staff: StaffMember; token: string };
}
