/**
 * Issue 18's first minutes, bot side, with real parts: our homeserver, the
 * bots service, matrix-js-sdk clients with Rust crypto. Rooms are opened as
 * our web app opens them (`org.onsafe.app_opening`, `org.onsafe.language` on
 * every message): nothing stands between a victim in crisis and a person.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL_FIELD, isCallLines } from "@onsafe/schema";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { eventually, messages, messagesAfter, nextPrompt, waitForField } from "./conversation.ts";
import { Stack } from "./stack.ts";

/** What the bot said before issue 18: a scolding for words, a search nobody made, the wrong word for a counsellor. */
const NOT_SAID = /with a number|companion|finding/i;

/** How many events the bot sent in the room after `after`, as the server has them (no client's sync in between). */
async function botEventsAfter(stack: Stack, victim: SdkClient, roomId: string, after: string): Promise<number> {
  const reply = await stack.hs.call(victim.account, "GET", `/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`);
  const newestFirst: { event_id: string; sender: string; type: string }[] = reply.body.chunk;
  const index = newestFirst.findIndex((e) => e.event_id === after);
  if (index < 0) throw new Error(`${after} is not in the room's last 100 events`);
  return newestFirst.slice(0, index).filter((e) => e.sender === stack.triageBot && e.type === "m.room.encrypted").length;
}

/** Waits until the triage bot has handled the event `eventId` (its read mark passed it): every reply to it has been sent. */
async function handled(stack: Stack, roomId: string, eventId: string, ts: number): Promise<void> {
  await eventually(async () => stack.bots.queue.cases.getByRoom(roomId)?.triageState as { read?: { ts: number; ids: string[] } } | undefined,
    (state) => state?.read !== undefined && (state.read.ts > ts || state.read.ids.includes(eventId)), `the bot to handle ${eventId}`, 20_000);
}

function timelineTs(victim: SdkClient, roomId: string, eventId: string): number {
  return messages(victim, roomId).find((m) => m.event.getId() === eventId)?.event.getTs() ?? Date.now();
}

describe("with a counsellor on shift", () => {
  let stack: Stack;
  let mina: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    mina = await stack.staff("mina", { capacity: 10 });
  });
  afterAll(async () => { await stack.close(); });

  it("a room the app opened gets no greeting, and the first answer in English gets the next question in English", async () => {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim, { app: true });
    // The bot has joined and set up its conversation, and said nothing.
    await eventually(async () => stack.bots.queue.cases.getByRoom(roomId)?.triageState, (s) => s !== null && s !== undefined, "the conversation to start");
    const created = (await stack.hs.call(victim.account, "GET", `/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`)).body.chunk;
    expect(created.filter((e: { sender: string; type: string }) => e.sender === stack.triageBot && e.type === "m.room.encrypted")).toEqual([]);

    await stack.say(victim, roomId, "Someone filmed or photographed me without consent", { prompt_id: "category", option_id: "illegal_filming" }, "en");
    const next = await nextPrompt(victim, roomId, stack.triageBot);
    expect(next.id).toBe("images");
    const said = messagesAfter(victim, roomId, stack.triageBot);
    expect(said).toHaveLength(1);
    expect(said[0].body).toMatch(/^Thank you for telling me\. This is not your fault\.\n\nHave the images or videos already been posted/);
    const saved = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId)!, (c) => c.category !== null, "the answer saved");
    expect(saved).toMatchObject({ language: "en", category: "illegal_filming", status: "triage" });
  });

  it.each([
    ["the first question", []],
    ["the second question", [["category", "distribution"]]],
  ] as const)("crisis words typed at %s: the case is offered to the counsellor on shift within 5 s, and the next question still comes", async (_where, before) => {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim, { app: true });
    let after: string | undefined;
    for (const [prompt, option] of before) {
      await stack.say(victim, roomId, option, { prompt_id: prompt, option_id: option }, "en");
      after = (await nextPrompt(victim, roomId, stack.triageBot, after)).eventId;
    }
    const sent = Date.now();
    const words = await stack.say(victim, roomId, "i just want to die honestly. he has my nudes", undefined, "en");
    await mina.waitForRoom(roomId, "invite");
    const offeredMs = Date.now() - sent;
    console.log(`crisis at ${_where}: offered to the counsellor on shift ${offeredMs} ms after the message was sent`);
    expect(offeredMs).toBeLessThan(5_000);

    const next = await nextPrompt(victim, roomId, stack.triageBot, words);
    expect(next.id).toBe("minor");
    const replies = messagesAfter(victim, roomId, stack.triageBot, words);
    expect(replies[0].body).toContain("A counsellor is being called now");
    expect(isCallLines(replies[0][CALL_FIELD])).toBe(true);
    expect(replies[0][CALL_FIELD].map((l: { number: string }) => l.number)).toEqual(expect.arrayContaining(["109", "1366", "112"]));
    expect(replies[1].body).toMatch(/^If you can, a few more questions while you wait\./);
    for (const reply of replies) expect(reply.body).not.toMatch(NOT_SAID);
    // The alert to staff follows the offer; the words are kept for the counsellor.
    const c = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId)!, (row) => row.crisis, "the case marked crisis");
    expect(c).toMatchObject({ status: "offered", priority: expect.any(Number) });
    expect(c.priority).toBeGreaterThanOrEqual(16);
    expect(c.notedEventIds).toContain(words);
  });

  it("\"can i just talk to a real person please\" ends the questions and queues, without asking for a number", async () => {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim, { app: true });
    const words = await stack.say(victim, roomId, "can i just talk to a real person please", undefined, "en");
    await mina.waitForRoom(roomId, "invite");
    const reply = await waitForField(victim, roomId, stack.triageBot, "body");
    expect(reply.body).toMatch(/^Of course\. A counsellor will be with you soon\./);
    expect(reply["org.onsafe.prompt"]).toBeUndefined();
    await handled(stack, roomId, words, timelineTs(victim, roomId, words));
    for (const m of messagesAfter(victim, roomId, stack.triageBot)) expect(m.body).not.toMatch(NOT_SAID);
    expect(stack.bots.queue.cases.getByRoom(roomId)).toMatchObject({ status: "offered", language: "en" });
  });

  it("\"he says he will send my pics to everyone at my school\" is kept for the counsellor, and the bot moves on without scolding", async () => {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim, { app: true });
    const words = await stack.say(victim, roomId, "he says he will send my pics to everyone at my school", undefined, "en");
    const next = await nextPrompt(victim, roomId, stack.triageBot, words);
    expect(next.id).toBe("minor");
    const [reply] = messagesAfter(victim, roomId, stack.triageBot, words);
    expect(reply.body).toMatch(/^Thank you for writing this\. Your counsellor will read it\.\n\nAre you under 19/);
    expect(reply.body).not.toMatch(NOT_SAID);
    await eventually(async () => stack.bots.queue.cases.getByRoom(roomId)!.notedEventIds, (ids) => ids.length > 0, "the words noted");
    expect(stack.bots.queue.cases.getByRoom(roomId)!.notedEventIds).toEqual([words]);

    // Under 19 is the last question before a person: the case is offered, and the screen is asked while waiting.
    await stack.say(victim, roomId, "Yes, under 19", { prompt_id: "minor", option_id: "yes" }, "en");
    await mina.waitForRoom(roomId, "invite");
    expect((await nextPrompt(victim, roomId, stack.triageBot, next.eventId)).id).toBe("risk_wish");
    expect(stack.bots.queue.cases.getByRoom(roomId)).toMatchObject({ minor: true, status: "offered" });
  });
});

describe("after hours: nobody on shift", () => {
  let stack: Stack;
  let hana: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    hana = await stack.staff("hana", { onShift: false });
  });
  afterAll(async () => { await stack.close(); });

  it("a crisis gets exactly one message, with call buttons, no \"finding\" and no queue card; the place comes when someone comes on shift", async () => {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim, { app: true });
    await stack.say(victim, roomId, "Deepfake or edited sexual images of me", { prompt_id: "category", option_id: "deepfake" }, "en");
    const images = await nextPrompt(victim, roomId, stack.triageBot);
    const words = await stack.say(victim, roomId, "I want to kill myself", undefined, "en");
    const crisis = await waitForField(victim, roomId, stack.triageBot, CALL_FIELD);
    expect(isCallLines(crisis[CALL_FIELD])).toBe(true);
    expect(crisis[CALL_FIELD].map((l: { number: string }) => l.number)).toEqual(["109", "1366", "112"]);
    for (const number of ["109", "1366", "112", "02-735-8994"]) expect(crisis.body).toContain(number);
    expect(crisis.body).toMatch(/We expect to be open again from .+ at \d\d:\d\d/);
    expect(crisis.body).not.toMatch(NOT_SAID);
    expect(crisis.body).not.toMatch(/being called|soon/);

    // Once the bot has handled a later message too, everything it said to the first is on the server: one message.
    const later = await stack.say(victim, roomId, "is anyone there", undefined, "en");
    await handled(stack, roomId, later, timelineTs(victim, roomId, later));
    expect(await botEventsAfter(stack, victim, roomId, words)).toBe(1);
    expect(messagesAfter(victim, roomId, stack.triageBot, images.eventId).some((m) => m["org.onsafe.queue"] || m["org.onsafe.prompt"])).toBe(false);
    expect(stack.bots.queue.cases.getByRoom(roomId)).toMatchObject({ crisis: true, status: "waiting" });

    // Someone comes on shift: the case is offered, and now the victim is told their place.
    await stack.setShift(hana.account, true);
    await hana.waitForRoom(roomId, "invite");
    const queue = await waitForField(victim, roomId, stack.triageBot, "org.onsafe.queue");
    expect(queue["org.onsafe.queue"]).toMatchObject({ position: 1 });
  });
});
