/**
 * The bots service killed with SIGKILL in the middle of a triage: the victim's
 * message sent while it was down is decrypted and answered once it is back,
 * because the bot's device, Olm and Megolm sessions were on disk.
 */
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION } from "../../chat-server/test/harness.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { botsTables, openBotsStore } from "../src/storage/index.ts";
import { useKillableBots } from "./bots-process.ts";
import { messages, nextPrompt, waitForField } from "./conversation.ts";

describe("the bots service restarting mid-conversation", () => {
  const env = useKillableBots();
  const { clients } = env;

  it("answers, after coming back, what the victim wrote while it was down, then hands off as usual", async () => {
    const triageBot = `@${BOT_LOCALPARTS.triage}:${env.hs.config.serverName}`;
    const companion = await env.hs.createAccount("companion", "hana");
    const store = await openBotsStore(env.hs.config.dataDir);
    botsTables(store).staff.upsert({ userId: companion.userId, kind: "companion", displayName: "Hana", languages: ["ko"], capacity: 2 });
    store.close();
    expect((await env.hs.request("PUT", "/_onsafe/v1/me/shift", { token: companion.token, body: { onShift: true } })).status).toBe(200);

    const victim = await SdkClient.start(env.hs.url, await env.hs.registerVisitor());
    const hana = await SdkClient.start(env.hs.url, companion);
    clients.push(victim, hana);
    const { room_id: roomId } = await victim.client.createRoom({ invite: [triageBot], initial_state: [ENCRYPTION] });
    const language = await nextPrompt(victim, roomId, triageBot);
    await victim.sendText(roomId, "한국어");
    const category = await nextPrompt(victim, roomId, triageBot, language.eventId);
    expect(category.id).toBe("category");

    await env.bots.kill();
    await victim.sendText(roomId, "딥페이크");
    await env.restart();

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

