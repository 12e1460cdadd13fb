import { isObject, type JsonObject, MatrixError, randomToken } from "@onsafe/matrix-basics";
import type { Config } from "../config.ts";
import { ExpiringSet } from "../services/expiring-set.ts";
/**
 * User-interactive authentication (Client-Server API "User-Interactive
 * Authentication API"), for the few endpoints that need it. Sessions are kept
 * in memory only, expire after ten minutes, and at most `maxPendingAuth` are
 * kept (one table per homeserver, found by its config).
 */

/**
 * The 401 response that starts (or continues) an auth session; it carries no
 * errcode unless a `failure` is given. `params` are the stages' parameters
 * (e.g. org.onsafe.pow's challenge).
 */
export class UiaRequired extends MatrixError {
  constructor(
    readonly flows: string[][],
    readonly session: string,
    private readonly failure?: MatrixError,
    readonly params: JsonObject = {},
  ) {
    super(401, failure?.errcode ?? "M_FORBIDDEN", failure?.message ?? "Additional authentication required");
  }

  override body() {
    const body: JsonObject = { flows: this.flows.map((stages) => ({ stages })), params: this.params, session: this.session, completed: [] };
    if (this.failure) Object.assign(body, this.failure.body());
    return body as never;
  }
}

const SESSION_TTL_MS = 10 * 60 * 1000;
const tables = new WeakMap<Config, ExpiringSet>();

function sessionsOf(config: Config): ExpiringSet {
  let sessions = tables.get(config);
  if (!sessions) tables.set(config, sessions = new ExpiringSet(SESSION_TTL_MS, config.maxPendingAuth));
  return sessions;
}

function newSession(sessions: ExpiringSet): string {
  const id = randomToken(16);
  sessions.add(id);
  return id;
}

/**
 * Returns the `auth` dict of a request whose type is one of `flows`' single
 * stages, or throws the 401 that asks for it. The caller checks its credentials
 * and throws `UiaRequired` with a failure if they are wrong.
 */
export function requireAuthStage(
  config: Config,
  body: JsonObject,
  flows: string[][],
  params: JsonObject = {},
): JsonObject & { type: string; session: string } {
  const sessions = sessionsOf(config);
  const auth = body.auth;
  if (!isObject(auth) || typeof auth.type !== "string") throw new UiaRequired(flows, newSession(sessions), undefined, params);
  const session = typeof auth.session === "string" && sessions.has(auth.session) ? auth.session : newSession(sessions);
  if (!flows.some((f) => f.length === 1 && f[0] === auth.type)) {
    throw new UiaRequired(flows, session, new MatrixError(401, "M_UNRECOGNIZED", `Unsupported auth type ${String(auth.type).slice(0, 60)}`), params);
  }
  sessions.take(session);
  return { ...auth, type: auth.type, session };
}

/** The 401 for a stage whose credentials were wrong: a new session to retry in, `failure` as its errcode. */
export function uiaFailed(config: Config, flows: string[][], failure: MatrixError, params: JsonObject = {}): UiaRequired {
  return new UiaRequired(flows, newSession(sessionsOf(config)), failure, params);
}
