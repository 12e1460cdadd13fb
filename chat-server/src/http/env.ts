import type { Session } from "../services/accounts.ts";

/** Hono environment of every route: the authenticated session, when there is one. */
export interface AppEnv {
  Variables: { session: Session };
}
