/**
 * Waits for a bot's own view of a room to catch up: after a join, a room
 * creation or an invite, the client knows of it only once it came back through
 * sync (and only then does the crypto know the room is encrypted, or who to
 * share its key with).
 */
import { ClientEvent, type MatrixClient, type Room } from "matrix-js-sdk";

const SYNC_WAIT_MS = 20_000;

/** Resolves true once the bot has joined `roomId` and `ready` holds for its view of it; false after a while. */
export function roomSynced(client: MatrixClient, roomId: string, ready: (room: Room) => boolean = () => true): Promise<boolean> {
  return syncedUntil(client, () => {
    const room = client.getRoom(roomId);
    return room !== null && room.getMyMembership() === "join" && ready(room);
  });
}

/** Resolves true once `holds()` is true, checked now and after each sync; false after a while. */
export function syncedUntil(client: MatrixClient, holds: () => boolean): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (result: boolean) => {
      clearTimeout(timer);
      client.off(ClientEvent.Sync, onSync);
      resolve(result);
    };
    const onSync = () => { if (holds()) done(true); };
    const timer = setTimeout(() => done(false), SYNC_WAIT_MS);
    client.on(ClientEvent.Sync, onSync);
  });
}
