/** One event of a room as a bot reads it again later (a summary, a companion's words): from memory, else from the server; decrypted. */
import { type MatrixClient, MatrixEvent } from "matrix-js-sdk";

export async function readRoomEvent(client: MatrixClient, roomId: string, eventId: string): Promise<MatrixEvent | undefined> {
  let event = client.getRoom(roomId)?.findEventById(eventId);
  if (!event) {
    try {
      event = new MatrixEvent(await client.fetchRoomEvent(roomId, eventId));
    } catch {
      return undefined;
    }
  }
  await client.decryptEventIfNeeded(event);
  return event.isDecryptionFailure() ? undefined : event;
}
