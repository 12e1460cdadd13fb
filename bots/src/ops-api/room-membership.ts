import { MatrixError } from "@onsafe/matrix-basics";
/**
 * Someone's membership of a room, asked of the homeserver with the
 * caller's own token (the public state API, so any homeserver answers it).
 * The bots have left a case's room after the hand-off and cannot see it any
 * more; the companion in it can, and the homeserver vouches for what they see.
 */

export class RoomMembership {
  constructor(private readonly homeserverUrl: string, private readonly fetchFn: typeof fetch = fetch) {}

  /** `userId`'s membership of `roomId` as `token`'s user sees it; null when they may not see the room's state or it has no member event for `userId`. */
  async of(token: string, roomId: string, userId: string): Promise<string | null> {
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.member/${encodeURIComponent(userId)}`;
    let response: Response;
    try {
      response = await this.fetchFn(new URL(path, this.homeserverUrl), {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw unavailable();
    }
    const body = await response.json().catch(() => null) as { membership?: unknown } | null;
    if (response.status === 403 || response.status === 404) return null;
    if (!response.ok || typeof body?.membership !== "string") throw unavailable();
    return body.membership;
  }
}

const unavailable = () => new MatrixError(502, "M_UNKNOWN", "The homeserver could not say who is in the room");
