/**
 * Who an access token belongs to, asked of the homeserver's `/account/whoami`
 * (so the ops API works with any homeserver). Every request asks again:
 * nothing is cached, so a logout or deactivation ends access at once
 * (issue 21; the cost, one loopback whoami per request, is in docs/OPS-API.md).
 * The token itself is never stored or logged.
 */
import { MatrixError } from "@onsafe/matrix-basics";

export interface TokenResolver {
  /** The user id of `token`; throws 401 M_UNKNOWN_TOKEN when the homeserver does not know it. */
  resolve(token: string): Promise<string>;
}

export class WhoamiResolver implements TokenResolver {
  constructor(
    private readonly homeserverUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async resolve(token: string): Promise<string> {
    if (!/^[!-~]{1,1024}$/.test(token)) throw unknownToken();
    return this.ask(token);
  }

  private async ask(token: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetchFn(new URL("/_matrix/client/v3/account/whoami", this.homeserverUrl), {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw unavailable();
    }
    const body = await response.json().catch(() => null) as { user_id?: unknown; errcode?: unknown } | null;
    if (response.status === 401 || response.status === 403) throw unknownToken();
    if (!response.ok || typeof body?.user_id !== "string") throw unavailable();
    return body.user_id;
  }
}

const unknownToken = () => new MatrixError(401, "M_UNKNOWN_TOKEN", "Unknown access token");
const unavailable = () => new MatrixError(502, "M_UNKNOWN", "The homeserver could not check the access token");
