/**
 * A bot lets go of the rooms it has left, so the service's memory does not
 * grow with every case it ever handled (about 130 KB of heap per case before
 * this; docs/BENCHMARKS.md "bot-memory"). matrix-js-sdk keeps a left room
 * whole (its Room, timeline, members and their re-emitters) in three places:
 * the client's store, the crypto's per-room encryptor, and the MatrixRTC
 * session manager (calls, which bots never make). So a bot:
 * - stops the MatrixRTC manager once the client has started;
 * - a while after its own leave (or ban) has synced, removes the room from
 *   the store and drops its encryptor. The wait leaves time to code that
 *   looks at the room right after leaving; a later invite brings a fresh Room
 *   through sync, and the encryptor is made again from its encryption state.
 * Room keys are untouched: they live in the crypto store, not in these objects.
 */
import { type MatrixClient, RoomMemberEvent } from "matrix-js-sdk";

export const LET_GO_AFTER_MS = 5_000;

/** Call once, before the client starts syncing; returns a function to stop. */
export function letGoOfLeftRooms(client: MatrixClient, letGoAfterMs = LET_GO_AFTER_MS): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const onMembership = (_event: unknown, member: { userId: string; roomId: string; membership?: string }) => {
    if (member.userId !== client.getUserId() || (member.membership !== "leave" && member.membership !== "ban")) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const room = client.getRoom(member.roomId);
      // Back in meanwhile (a new invite), or already gone: nothing to do.
      if (!room || (room.getMyMembership() !== "leave" && room.getMyMembership() !== "ban")) return;
      client.store.removeRoom(member.roomId);
      dropEncryptor(client, member.roomId);
    }, letGoAfterMs);
    timer.unref();
    timers.add(timer);
  };
  client.on(RoomMemberEvent.Membership, onMembership);
  return () => {
    client.off(RoomMemberEvent.Membership, onMembership);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}

/** The MatrixRTC manager keeps a session, and so the Room, for every room ever seen. */
export function stopMatrixRtc(client: MatrixClient): void {
  client.matrixRTC.stop();
}

/**
 * matrix-js-sdk 43 has no way to drop a room's encryptor, which holds the
 * Room: its map is private (`RustCrypto.roomEncryptors`). If a later SDK
 * renames it, `hasEncryptorMap` says so and the test of this file fails.
 */
function dropEncryptor(client: MatrixClient, roomId: string): void {
  const encryptors = encryptorMap(client);
  if (encryptors) delete encryptors[roomId];
}

export function hasEncryptorMap(client: MatrixClient): boolean {
  return encryptorMap(client) !== undefined;
}

function encryptorMap(client: MatrixClient): Record<string, unknown> | undefined {
  const map = (client.getCrypto() as { roomEncryptors?: unknown } | undefined)?.roomEncryptors;
  return typeof map === "object" && map !== null ? map as Record<string, unknown> : undefined;
}
