/**
 * The whole conversation with real parts: our homeserver, the bots service,
 * and matrix-js-sdk clients with Rust crypto for the victim and a companion.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { ENCRYPTION } from "../../chat-server/test/harness.ts";
import { messages, messagesAfter, nextPrompt, readableBy, waitForField, waitForText } from "./conversation.ts";
import { Stack } from "./stack.ts";

describe("a victim is triaged and handed to an on-shift companion", () => {
  let stack: Stack;
  let mina: SdkClient;
  let victim: SdkClient;
  let roomId: string;
  const story = "He posted my photos on a forum yesterday, I found them this morning";

  beforeAll(async () => {
    // A lost room key is given 3 s here (30 s in service).
    stack = await Stack.start({ keyWaitMs: 3_000 });
    mina = await stack.staff("mina", { languages: ["ko", "en"] });
    victim = await stack.visitor();
  });
  afterAll(async () => { await stack.close(); });

  it("answers triage by number, typed label and button, and the case is offered to the companion", async () => {
    roomId = await stack.startConversation(victim);
    const bot = stack.triageBot;
    const language = await nextPrompt(victim, roomId, bot);
    expect(language.id).toBe("language");
    await stack.say(victim, roomId, "2"); // English, by number

    const category = await nextPrompt(victim, roomId, bot, language.eventId);
    expect(category.id).toBe("category");
    expect(category.options.map((o) => o.id)).toContain("deepfake");
    await stack.say(victim, roomId, "Distribution"); // typed label, any case

    const images = await nextPrompt(victim, roomId, bot, category.eventId);
    expect(images.id).toBe("images");
    await stack.say(victim, roomId, "Already spread", { prompt_id: "images", option_id: "spread" }); // a button

    // Free text in the middle of triage is not an answer: it is kept for the counsellor, and the bot moves on.
    const minor = await nextPrompt(victim, roomId, bot, images.eventId);
    expect(minor.id).toBe("minor");
    await stack.say(victim, roomId, story);
    let prompt = await nextPrompt(victim, roomId, bot, minor.eventId);
    expect(prompt.id).toBe("risk_wish");
    expect(messagesAfter(victim, roomId, bot, minor.eventId)[0].body).toMatch(/^Thank you for writing this\. Your counsellor will read it\. A counsellor will be with you soon\./);
    // That was the last question before a person: the case is offered while the screen is asked.
    await mina.waitForRoom(roomId, "invite");
    for (const [id, answer] of [["risk_wish", "no"], ["risk_thoughts", "no"], ["risk_behaviour", "no"]] as const) {
      if (id !== "risk_wish") prompt = await nextPrompt(victim, roomId, bot, prompt.eventId);
      expect(prompt.id).toBe(id);
      await stack.say(victim, roomId, answer);
    }
    await waitForText(victim, roomId, bot, "Thank you for answering");
    const queue = await stack.ops(mina.account, "GET", "/queue");
    expect(queue.body.cases).toEqual([expect.objectContaining({ status: "offered", category: "distribution", language: "en", offered_to: mina.userId })]);
  });

  it("on joining, the companion reads the decrypted summary with what the victim wrote, and the bot leaves", async () => {
    await mina.client.joinRoom(roomId);
    const summary = await waitForField(mina, roomId, stack.triageBot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({
      category: "distribution", images: "spread", minor: null, risk: "none", crisis: false, language: "en",
      notes: [expect.objectContaining({ body: story })],
    });
    // The victim sees it too: the body lists nothing, the console reads the field.
    expect(summary.body).toBe("We've passed your answers to your counsellor.");
    await mina.waitFor(() => mina.client.getRoom(roomId)?.getMember(stack.triageBot)?.membership === "leave", "the triage bot to leave");
    const detail = await stack.ops(mina.account, "GET", `/queue`);
    expect(detail.body.cases).toEqual([]);
  });

  it("victim and companion then talk, and the bot's device cannot read it", async () => {
    await stack.say(victim, roomId, "Thank you for coming");
    await mina.waitForMessage(roomId, "Thank you for coming");
    await mina.sendText(roomId, "I'm here with you. It is not your fault.");
    await victim.waitForMessage(roomId, "I'm here with you. It is not your fault.");

    const sent = messages(mina, roomId).find((m) => m.content.body === "Thank you for coming")!.event;
    expect(await readableBy(stack.bots.triage.client, sent)).toBe(false);
  });

  it("the bots database and its crypto store hold none of the victim's words", () => {
    for (const file of ["bots.sqlite", "bots.sqlite-wal", "bots-crypto.sqlite", "bots-crypto.sqlite-wal"]) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(stack.config.dataDir, file)); } catch { continue; }
      for (const words of [story, "Thank you for coming", "Already spread"]) {
        expect(bytes.includes(Buffer.from(words)), `${words} in ${file}`).toBe(false);
      }
    }
    // The scan finds what is there: the case's room id is in bots.sqlite.
    expect(readFileSync(join(stack.config.dataDir, "bots.sqlite")).includes(Buffer.from(roomId)) || readFileSync(join(stack.config.dataDir, "bots.sqlite-wal")).includes(Buffer.from(roomId))).toBe(true);
  });

  it("a supervisor claims a waiting case from the queue, is invited by the bot, and gets the summary on joining", async () => {
    // Mina is at capacity 1 now, so the next case waits for someone to take it.
    await stack.bots.queue.staff.addOrUpdateStaff({ userId: mina.userId, kind: "companion", capacity: 1 });
    const boss = await stack.staff("boss", { kind: "supervisor", capacity: 0 });
    const second = await stack.visitor();
    const room = await stack.startConversation(second);
    const first = await nextPrompt(second, room, stack.triageBot);
    await stack.say(second, room, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
    await waitForField(second, room, stack.triageBot, "org.onsafe.queue");

    const queue = await stack.ops(boss.account, "GET", "/queue");
    const waiting = queue.body.cases.find((c: { status: string }) => c.status === "waiting");
    expect(waiting).toMatchObject({ position: 1, offered_to: null });
    const claimed = await stack.ops(boss.account, "POST", `/cases/${waiting.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.case).toMatchObject({ status: "assigned", assigned_to: boss.userId });

    await boss.waitForRoom(room, "invite");
    await boss.client.joinRoom(room);
    const summary = await waitForField(boss, room, stack.triageBot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({ skipped: true });
    expect(mina.client.getRoom(room)?.getMyMembership()).toBeUndefined();
  });

  it("a message the bot cannot decrypt gets a gentle request to send it again, not silence", async () => {
    const victim2 = await stack.visitor();
    const room = await stack.startConversation(victim2);
    await nextPrompt(victim2, room, stack.triageBot);
    // Ciphertext under a Megolm session the bot never received, as after a lost room key.
    const bogus = { algorithm: "m.megolm.v1.aes-sha2", sender_key: "x".repeat(43), session_id: "y".repeat(43), device_id: victim2.account.deviceId, ciphertext: "AwgAEnB" + "z".repeat(100) };
    const sent = await stack.hs.call(victim2.account, "PUT", `/rooms/${encodeURIComponent(room)}/send/m.room.encrypted/lost-key-1`, bogus);
    expect(sent.status).toBe(200);
    // No language chosen yet: Korean, the service's first language.
    await waitForText(victim2, room, stack.triageBot, "방금 보낸 메시지를 제가 읽지 못했어요");
  });

  it("leaves a room that is not end-to-end encrypted, and declines invites from staff, without a case", async () => {
    const admin = await stack.hs.createAccount("admin", "operator");
    const plain = (await stack.hs.call(admin, "POST", "/createRoom", { invite: [stack.triageBot] })).body.room_id;
    const staffRoom = (await stack.hs.call(mina.account, "POST", "/createRoom", { invite: [stack.triageBot], initial_state: [ENCRYPTION] })).body.room_id;
    for (const [room, by] of [[plain, admin], [staffRoom, mina.account]] as const) {
      const membership = async () => (await stack.hs.call(by, "GET", `/rooms/${encodeURIComponent(room)}/state/m.room.member/${encodeURIComponent(stack.triageBot)}`)).body.membership;
      const deadline = Date.now() + 20_000;
      while ((await membership()) !== "leave") {
        if (Date.now() > deadline) throw new Error(`the bot is still ${await membership()} in ${room}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stack.bots.queue.cases.getByRoom(room)).toBeUndefined();
    }
  });
});
