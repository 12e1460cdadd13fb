/**
 * The bots' way out of an erased case's rooms: each bot still joined (or
 * invited) leaves, so its device stops receiving the room and its keys, then
 * every bot forgets the room, which also ends its access to the history on
 * the server (docs/QUEUE.md "Retention"). Nobody else is removed.
 */
import type { MatrixClient } from "matrix-js-sdk";
import { syncedUntil } from "../runtime/room-synced.ts";
import type { RoomExits } from "./closed-cases.ts";

export class MatrixRoomExits implements RoomExits {
  constructor(private readonly bots: MatrixClient[]) {}

  async leaveAndForget(roomId: string): Promise<boolean> {
    let allOut = true;
    for (const client of this.bots) {
      try {
        const membership = client.getRoom(roomId)?.getMyMembership();
        if (membership === "join" || membership === "invite") {
          await client.leave(roomId);
          // Forgotten before its leave came back through sync, the room would be made again from that sync.
          if (!(await leaveSynced(client, roomId))) throw new Error("the leave did not come back through sync");
        }
        // Also for rooms the bot left long ago (the triage bot after its hand-off): forgetting is allowed once out.
        await client.forget(roomId, true);
      } catch (error) {
        // The error code only: an SDK message can carry the request's path, and with it the room id.
        const { errcode, name } = error as { errcode?: string; name?: string };
        console.error(`retention: a bot could not leave a room (${errcode ?? name ?? "error"}); tried again at the next sweep`);
        allOut = false;
      }
    }
    return allOut;
  }
}

/** Resolves true once the client's own view shows it out of `roomId`; false after a while. */
function leaveSynced(client: MatrixClient, roomId: string): Promise<boolean> {
  return syncedUntil(client, () => {
    const membership = client.getRoom(roomId)?.getMyMembership();
    return membership !== "join" && membership !== "invite";
  });
}
