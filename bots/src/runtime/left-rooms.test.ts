import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENCRYPTION, TestServer } from "../../../chat-server/test/harness.ts";
import { SdkClient } from "../../../test-support/sdk-client.ts";
import { hasEncryptorMap, letGoOfLeftRooms, stopMatrixRtc } from "./left-rooms.ts";

/**
 * A bot's client lets go of a room it left (store, encryptor, MatrixRTC
 * session), keeps the rooms it is in, and can be brought back into the same
 * room and read and write encrypted messages there again. Our homeserver,
 * real matrix-js-sdk clients with Rust crypto.
 */
describe("letting go of left rooms", () => {
  let server: TestServer;
  let companion: SdkClient;
  let bot: SdkClient;
  beforeAll(async () => {
    server = await TestServer.start();
    companion = await SdkClient.start(server.url, await server.createAccount("companion", "letgo-mina"));
    bot = await SdkClient.start(server.url, await server.createAccount("bot", "letgo-bot"));
  });
  afterAll(async () => {
    bot?.stop();
    companion?.stop();
    await server?.close();
  });

  const encryptedRoomWithBot = async () => {
    const { room_id: roomId } = await companion.client.createRoom({ invite: [bot.userId], initial_state: [ENCRYPTION] });
    await bot.waitForRoom(roomId, "invite");
    await bot.client.joinRoom(roomId);
    await companion.waitFor(() => companion.client.getRoom(roomId)?.getMember(bot.userId)?.membership === "join", "the bot join");
    return roomId;
  };
  const encryptors = () => (bot.client.getCrypto() as unknown as { roomEncryptors: Record<string, unknown> }).roomEncryptors;

  it("drops a left room from the store, the crypto and MatrixRTC, keeps the others, and comes back to it", async () => {
    expect(hasEncryptorMap(bot.client)).toBe(true);
    const stop = letGoOfLeftRooms(bot.client, 200);
    stopMatrixRtc(bot.client);
    const left = await encryptedRoomWithBot();
    const kept = await encryptedRoomWithBot();
    for (const roomId of [left, kept]) {
      await companion.sendText(roomId, `hello ${roomId}`);
      await bot.waitForMessage(roomId, `hello ${roomId}`);
      await bot.sendText(roomId, `hi from the bot in ${roomId}`);
      await companion.waitForMessage(roomId, `hi from the bot in ${roomId}`);
      expect(encryptors()[roomId]).toBeDefined();
    }

    await bot.client.leave(left);
    await expect.poll(() => bot.client.getRoom(left), { timeout: 5_000 }).toBeNull();
    expect(encryptors()[left]).toBeUndefined();
    expect(bot.client.matrixRTC.getActiveRoomSession(bot.client.getRoom(kept)!)).toBeUndefined();
    // The room it is still in stays whole.
    expect(bot.client.getRoom(kept)?.getMyMembership()).toBe("join");
    expect(encryptors()[kept]).toBeDefined();

    // Invited back, it reads and writes there again.
    await companion.client.invite(left, bot.userId);
    await bot.waitForRoom(left, "invite");
    await bot.client.joinRoom(left);
    await companion.waitFor(() => companion.client.getRoom(left)?.getMember(bot.userId)?.membership === "join", "the bot back");
    await companion.sendText(left, "welcome back");
    await bot.waitForMessage(left, "welcome back");
    await bot.sendText(left, "glad to be back");
    await companion.waitForMessage(left, "glad to be back");
    stop();
  }, 60_000);
});
