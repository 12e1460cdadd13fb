/**
 * Who an access token belongs to, asked of the homeserver's `/account/whoami`
 * (so the ops API works with any homeserver). Answers are kept briefly in
 * memory under the token's SHA-256; the token itself is never stored or logged.
 */
import { createHash } from "node:crypto";
import { type Clock, systemClock } from "../queue/clock.ts";
import { MatrixError } from "@onsafe/matrix-basics";

export const WHOAMI_CACHE_MS = 30_000;
const MAX_CACHED = 10_000;

export interface TokenResolver {
  /** The user id of `token`; throws 401 M_UNKNOWN_TOKEN when the homeserver does not know it. */
  resolve(token: string): Promise<string>;
}

export class WhoamiResolver implements TokenResolver {
  private readonly cache = new Map<string, { userId: string; until: number }>();

  constructor(
    private readonly homeserverUrl: string,
    private readonly clock: Clock = systemClock,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async resolve(token: string): Promise<string> {
    if (!/^[!-~]{1,1024}$/.test(token)) throw unknownToken();
    const key = createHash("sha256").update(token).digest("hex");
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.userId;
    const userId = await this.ask(token);
    this.remember(key, userId, now);
    return userId;
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

  private remember(key: string, userId: string, now: number): void {
    if (this.cache.size >= MAX_CACHED) {
      for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
      // Still full: drop the oldest entry (Map keeps insertion order).
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, { userId, until: now + WHOAMI_CACHE_MS });
  }
}

const unknownToken = () => new MatrixError(401, "M_UNKNOWN_TOKEN", "Unknown access token");
const unavailable = () => new MatrixError(502, "M_UNKNOWN", "The homeserver could not check the access token");
