/**
 * Everything a chat view shows changes through one of these client events. `Room`: the room
 * itself arrives (after a reload); the events of its first sync fire before it is in the store,
 * so a room without encrypted messages yet (one the app opened) would otherwise never show.
 */
import { ClientEvent, MatrixEventEvent, RoomEvent, RoomMemberEvent, type MatrixClient } from "matrix-js-sdk";

export function onRoomChanges(client: MatrixClient, listener: () => void): () => void {
  client.on(ClientEvent.Room, listener);
  client.on(RoomEvent.Timeline, listener);
  client.on(RoomEvent.LocalEchoUpdated, listener);
  client.on(RoomEvent.Receipt, listener);
  client.on(RoomEvent.MyMembership, listener);
  client.on(MatrixEventEvent.Decrypted, listener);
  client.on(RoomMemberEvent.Typing, listener);
  return () => {
    client.off(ClientEvent.Room, listener);
    client.off(RoomEvent.Timeline, listener);
    client.off(RoomEvent.LocalEchoUpdated, listener);
    client.off(RoomEvent.Receipt, listener);
    client.off(RoomEvent.MyMembership, listener);
    client.off(MatrixEventEvent.Decrypted, listener);
    client.off(RoomMemberEvent.Typing, listener);
  };
}
