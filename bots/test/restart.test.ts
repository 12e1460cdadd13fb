/**
 * The bots service killed with SIGKILL in the middle of a triage: the victim's
 * message sent while it was down is decrypted and answered once it is back,
 * because the bot's device, Olm and Megolm sessions were on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, TestServer } from "../../chat-server/test/harness.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { botsTables, openBotsStore } from "../src/storage/index.ts";
import { BotsProcess } from "./bots-process.ts";
import { freePort } from "./stack.ts";
import { messages, nextPrompt, waitForField } from "./conversation.ts";

describe("the bots service restarting mid-conversation", () => {
  let hs: TestServer;
  let bots: BotsProcess;
  let botsPort: number;
  const clients: SdkClient[] = [];
  const start = () => BotsProcess.start({ homeserverPort: hs.config.port, botsPort, dataDir: hs.config.dataDir });

  beforeAll(async () => {
    botsPort = await freePort();
    hs = await TestServer.start({ botsUrl: `http://127.0.0.1:${botsPort}` });
    bots = await start();
  });
  afterAll(async () => {
    for (const client of clients) client.stop();
    await bots.kill();
    await hs.close();
  });

  it("answers, after coming back, what the victim wrote while it was down, then hands off as usual", async () => {
    const triageBot = `@${BOT_LOCALPARTS.triage}:${hs.config.serverName}`;
    const companion = await hs.createAccount("companion", "hana");
    const store = await openBotsStore(hs.config.dataDir);
    botsTables(store).staff.upsert({ userId: companion.userId, kind: "companion", displayName: "Hana", languages: ["ko"], capacity: 2 });
    store.close();
    expect((await hs.request("PUT", "/_onsafe/v1/me/shift", { token: companion.token, body: { onShift: true } })).status).toBe(200);

    const victim = await SdkClient.start(hs.url, await hs.registerVisitor());
    const hana = await SdkClient.start(hs.url, companion);
    clients.push(victim, hana);
    const { room_id: roomId } = await victim.client.createRoom({ invite: [triageBot], initial_state: [ENCRYPTION] });
    const language = await nextPrompt(victim, roomId, triageBot);
    await victim.sendText(roomId, "한국어");
    const category = await nextPrompt(victim, roomId, triageBot, language.eventId);
    expect(category.id).toBe("category");

    await bots.kill();
    await victim.sendText(roomId, "딥페이크");
    bots = await start();

    const images = await nextPrompt(victim, roomId, triageBot, category.eventId);
    expect(images.id).toBe("images");
    // Whatever the bot handled again after the kill, the victim saw each question once.
    const prompts = messages(victim, roomId).filter((m) => m.sender === triageBot && m.content["org.onsafe.prompt"]).map((m) => m.content["org.onsafe.prompt"].id);
    expect(prompts).toEqual(["language", "category", "images"]);
    await victim.sendText(roomId, "그냥 상담사와 이야기하고 싶어요");
    await hana.waitForRoom(roomId, "invite");
    await hana.client.joinRoom(roomId);
    const summary = await waitForField(hana, roomId, triageBot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({ category: "deepfake", language: "ko", skipped: true });
  });
});

