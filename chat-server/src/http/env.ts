import type { Session } from "../services/accounts.ts";

/**
 * Hono environment of every route: the authenticated session, when there is one,
 * and the client's address (http/client-address.ts).
 */
export interface AppEnv {
  Variables: { session: Session; clientAddress: string };
}
