import { isObject, type JsonObject, MatrixError, randomToken } from "@onsafe/matrix-basics";
/**
 * User-interactive authentication (Client-Server API "User-Interactive
 * Authentication API"), for the few endpoints that need it. Sessions are kept
 * in memory only and expire after ten minutes.
 */

/** The 401 response that starts (or continues) an auth session; it carries no errcode. */
export class UiaRequired extends MatrixError {
  constructor(readonly flows: string[][], readonly session: string, private readonly failure?: MatrixError) {
    super(401, failure?.errcode ?? "M_FORBIDDEN", failure?.message ?? "Additional authentication required");
  }

  override body() {
    const body: JsonObject = { flows: this.flows.map((stages) => ({ stages })), params: {}, session: this.session, completed: [] };
    if (this.failure) Object.assign(body, this.failure.body());
    return body as never;
  }
}

const sessions = new Map<string, number>();
const SESSION_TTL_MS = 10 * 60 * 1000;

function newSession(): string {
  const now = Date.now();
  for (const [id, created] of sessions) if (now - created > SESSION_TTL_MS) sessions.delete(id);
  const id = randomToken(16);
  sessions.set(id, now);
  return id;
}

/**
 * Returns the `auth` dict of a request whose type is one of `flows`' single
 * stages, or throws the 401 that asks for it. The caller checks its credentials
 * and throws `UiaRequired` with a failure if they are wrong.
 */
export function requireAuthStage(body: JsonObject, flows: string[][]): JsonObject & { type: string; session: string } {
  const auth = body.auth;
  if (!isObject(auth) || typeof auth.type !== "string") throw new UiaRequired(flows, newSession());
  const session = typeof auth.session === "string" && sessions.has(auth.session) ? auth.session : newSession();
  if (!flows.some((f) => f.length === 1 && f[0] === auth.type)) {
    throw new UiaRequired(flows, session, new MatrixError(401, "M_UNRECOGNIZED", `Unsupported auth type ${String(auth.type).slice(0, 60)}`));
  }
  sessions.delete(session);
  return { ...auth, type: auth.type, session };
}
