/** Everything a chat view shows changes through one of these client events. */
import { MatrixEventEvent, RoomEvent, RoomMemberEvent, type MatrixClient } from "matrix-js-sdk";

export function onRoomChanges(client: MatrixClient, listener: () => void): () => void {
  client.on(RoomEvent.Timeline, listener);
  client.on(RoomEvent.LocalEchoUpdated, listener);
  client.on(RoomEvent.Receipt, listener);
  client.on(RoomEvent.MyMembership, listener);
  client.on(MatrixEventEvent.Decrypted, listener);
  client.on(RoomMemberEvent.Typing, listener);
  return () => {
    client.off(RoomEvent.Timeline, listener);
    client.off(RoomEvent.LocalEchoUpdated, listener);
    client.off(RoomEvent.Receipt, listener);
    client.off(RoomEvent.MyMembership, listener);
    client.off(MatrixEventEvent.Decrypted, listener);
    client.off(RoomMemberEvent.Typing, listener);
  };
}
