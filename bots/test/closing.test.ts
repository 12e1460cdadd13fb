/**
 * Issue 19 finding 2, bot side, with real parts (our homeserver, the bots
 * service, matrix-js-sdk clients with Rust crypto): a companion closes a case
 * as the console does (the closing text, `POST cases/{id}/close`, the triage bot
 * invited back, leave). The bot tells the victim the chat has ended, and the
 * victim's next message brings the case back to the queue, once per closing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL_FIELD, CHAT_CLOSED_FIELD, isCallLines, QUEUE_FIELD, TRIAGE_SUMMARY_FIELD } from "@onsafe/schema";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { botsTables, type BotsStore, openBotsStore } from "../src/storage/index.ts";
import { eventually, messages, messagesAfter, pendingInvites, waitForField } from "./conversation.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
/** A second connection to the bots database, to read the case log. */
let store: BotsStore;
beforeAll(async () => {
  stack = await Stack.start();
  store = await openBotsStore(stack.hs.config.dataDir);
});
afterAll(async () => {
  store?.close();
  await stack.close();
});

const caseOf = (roomId: string) => stack.bots.queue.cases.getByRoom(roomId)!;
const logOf = (caseId: string) => botsTables(store).log.forCase(caseId).map((e) => e.kind);
const reopenings = (caseId: string) => logOf(caseId).filter((kind) => kind === "reopened").length;

/** Waits until the triage bot has invited `companion` into `roomId` (an earlier test's case may be offered to them too). */
async function invitedTo(companion: SdkClient, roomId: string): Promise<void> {
  await eventually(async () => pendingInvites(companion, stack.triageBot).map((room) => room.roomId), (rooms) => rooms.includes(roomId), `an invite into ${roomId}`, 30_000);
}

/** A victim asks for a person; `companion` (on shift) accepts by joining, and the bot hands off and leaves. */
async function handedOffCase(companion: SdkClient): Promise<{ victim: SdkClient; roomId: string; caseId: string }> {
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim, { app: true });
  await stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: "category", option_id: "skip" }, "en");
  await invitedTo(companion, roomId);
  await companion.client.joinRoom(roomId);
  await eventually(async () => caseOf(roomId), (c) => c.handedOffAt !== null, "the hand-off", 20_000);
  await victim.waitFor(() => victim.client.getRoom(roomId)?.getMember(stack.triageBot)?.membership === "leave", "the bot to leave");
  return { victim, roomId, caseId: caseOf(roomId).id };
}

/** What the console does on "Send and close": the closing text, the close, the triage bot invited back, and leaving. */
async function closeAsTheConsole(companion: SdkClient, roomId: string, caseId: string, text: string): Promise<void> {
  await companion.sendText(roomId, text);
  const closed = await stack.ops(companion.account, "POST", `/cases/${caseId}/close`, { outcome: "supported" });
  expect(closed.status).toBe(200);
  await companion.client.invite(roomId, stack.triageBot);
  await companion.client.leave(roomId);
}

describe("closing a case and the victim writing again", () => {
  it("tells the victim the chat ended, and their next message puts the same case back in the queue and offers it, once per closing", async () => {
    const mina = await stack.staff("mina", { capacity: 10, languages: ["en"] });
    const { victim, roomId, caseId } = await handedOffCase(mina);

    await closeAsTheConsole(mina, roomId, caseId, "Thank you for talking with me today. I'm closing this chat now.");
    await victim.waitForMessage(roomId, "Thank you for talking with me today. I'm closing this chat now.");
    // The bot comes back and says so, in the case's language, with the crisis lines as call buttons.
    const closed = await waitForField(victim, roomId, stack.triageBot, CHAT_CLOSED_FIELD);
    expect(closed.msgtype).toBe("m.notice");
    expect(closed.body).toMatch(/^Your counsellor has closed this chat\. Whenever you want to talk again, write here and a counsellor will answer\./);
    expect(closed.body).toContain("109");
    expect(isCallLines(closed[CALL_FIELD])).toBe(true);
    expect(caseOf(roomId)).toMatchObject({ status: "closed", outcome: "supported" });
    const before = messages(victim, roomId).at(-1)!.event.getId()!;

    // The victim writes again, three times in a row: one reopening, the same case, offered to the companion on shift.
    const sentAt = performance.now();
    await stack.say(victim, roomId, "sorry, one more question. he wrote to me again", undefined, "en");
    await stack.say(victim, roomId, "are you there?", undefined, "en");
    await stack.say(victim, roomId, "hello?", undefined, "en");
    await eventually(async () => caseOf(roomId), (c) => c.status === "offered", "the case offered again", 20_000);
    const offeredMs = performance.now() - sentAt;
    expect(caseOf(roomId)).toMatchObject({ id: caseId, outcome: null, assignedTo: null, handedOffAt: null });
    await invitedTo(mina, roomId);
    // The victim is told they wait, as for a new case.
    const queue = await waitForField(victim, roomId, stack.triageBot, QUEUE_FIELD);
    expect(queue[QUEUE_FIELD]).toMatchObject({ position: 1 });
    await eventually(async () => caseOf(roomId).notedEventIds.length, (n) => n === 3, "the three messages noted", 20_000);
    expect(reopenings(caseId)).toBe(1);
    expect((await stack.ops(mina.account, "GET", "/queue")).body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    // Nothing else is said while someone is on shift: the place in line says it.
    expect(messagesAfter(victim, roomId, stack.triageBot, before).filter((m) => m[QUEUE_FIELD] === undefined)).toEqual([]);

    // The companion accepts again: the summary holds what was written since the closing, and the bot leaves.
    await mina.client.joinRoom(roomId);
    await eventually(async () => caseOf(roomId), (c) => c.handedOffAt !== null, "the second hand-off", 20_000);
    const summaries = () => messages(mina, roomId).filter((m) => m.sender === stack.triageBot && m.content[TRIAGE_SUMMARY_FIELD]);
    await mina.waitFor(() => summaries().length === 2, "the second summary");
    const summary = summaries().at(-1)!.content;
    expect(summary[TRIAGE_SUMMARY_FIELD].notes.map((n: { body: string }) => n.body)).toEqual(["sorry, one more question. he wrote to me again", "are you there?", "hello?"]);
    expect(caseOf(roomId)).toMatchObject({ status: "assigned", assignedTo: mina.userId });
    console.log(`[closing] victim wrote after closing -> case offered again: ${offeredMs.toFixed(0)} ms`);

    // Closed a second time, the next message reopens it a second time: one reopening per closing.
    await closeAsTheConsole(mina, roomId, caseId, "Closing again. Take care.");
    await eventually(async () => messages(victim, roomId).filter((m) => m.sender === stack.triageBot && m.content[CHAT_CLOSED_FIELD]).length, (n) => n === 2, "the second closed notice", 20_000);
    await stack.say(victim, roomId, "me again", undefined, "en");
    await eventually(async () => caseOf(roomId), (c) => c.status === "offered", "offered a second time", 20_000);
    expect(reopenings(caseId)).toBe(2);
    await stack.setShift(mina.account, false);
  });

  it("after hours the victim is told when someone is back, and the case is offered when a shift starts", async () => {
    const jun = await stack.staff("jun", { capacity: 10, languages: ["en"] });
    const { victim, roomId, caseId } = await handedOffCase(jun);
    await closeAsTheConsole(jun, roomId, caseId, "I'm closing this chat now.");
    await waitForField(victim, roomId, stack.triageBot, CHAT_CLOSED_FIELD);
    await stack.setShift(jun.account, false);
    const before = messages(victim, roomId).at(-1)!.event.getId()!;

    await stack.say(victim, roomId, "is anyone there", undefined, "en");
    await eventually(async () => caseOf(roomId), (c) => c.status === "waiting", "the case waiting again", 20_000);
    await victim.waitFor(() => messagesAfter(victim, roomId, stack.triageBot, before).length > 0, "the bot's answer");
    const said = messagesAfter(victim, roomId, stack.triageBot, before);
    expect(said).toHaveLength(1);
    expect(said[0].body).toMatch(/^No counsellor is on shift right now\./);
    expect(isCallLines(said[0][CALL_FIELD])).toBe(true);

    await stack.setShift(jun.account, true);
    await eventually(async () => caseOf(roomId), (c) => c.status === "offered", "offered when the shift starts", 20_000);
    await stack.setShift(jun.account, false);
  });

  it("a victim who left is not watched, and nothing re-queues", async () => {
    const ara = await stack.staff("ara", { capacity: 10, languages: ["en"] });
    const { victim, roomId, caseId } = await handedOffCase(ara);
    await closeAsTheConsole(ara, roomId, caseId, "Closing now.");
    await waitForField(victim, roomId, stack.triageBot, CHAT_CLOSED_FIELD);

    // The victim leaves after the closing: the bot goes too.
    await victim.client.leave(roomId);
    await eventually(async () => stack.bots.triage.client.getRoom(roomId)?.getMyMembership(), (m) => m === undefined || m === "leave", "the bot to leave after the victim", 20_000);
    expect(caseOf(roomId)).toMatchObject({ status: "closed", outcome: "supported" });
    expect(reopenings(caseId)).toBe(0);

    // A case closed because its victim left: staff cannot bring the bot back.
    const second = await handedOffCase(ara);
    await second.victim.client.leave(second.roomId);
    await stack.ops(ara.account, "POST", `/cases/${second.caseId}/victim-left`);
    await eventually(async () => caseOf(second.roomId), (c) => c.outcome === "victim_left", "closed as victim_left", 20_000);
    await ara.client.invite(second.roomId, stack.triageBot);
    await ara.waitFor(() => ara.client.getRoom(second.roomId)?.getMember(stack.triageBot)?.membership === "leave", "the bot to turn the invite down");
    expect(logOf(second.caseId)).not.toContain("reopened");
    await stack.setShift(ara.account, false);
  });

  it("a message written while the bots service is down reopens the case once it is back", async () => {
    const yuna = await stack.staff("yuna", { capacity: 10, languages: ["en"] });
    const { victim, roomId, caseId } = await handedOffCase(yuna);
    await closeAsTheConsole(yuna, roomId, caseId, "Closing now. Take care.");
    await waitForField(victim, roomId, stack.triageBot, CHAT_CLOSED_FIELD);

    await stack.stopBots();
    await stack.say(victim, roomId, "are you still there? i need help again", undefined, "en");
    await stack.startBots();
    await eventually(async () => caseOf(roomId), (c) => c.status === "offered", "offered after the restart", 30_000);
    expect(reopenings(caseId)).toBe(1);
    await eventually(async () => caseOf(roomId).notedEventIds.length, (n) => n === 1, "the message kept for the counsellor", 20_000);
    await stack.setShift(yuna.account, false);
  });

  it("staff cannot bring the bot into an open case", async () => {
    const hana = await stack.staff("hana", { capacity: 10, languages: ["en"] });
    const { roomId } = await handedOffCase(hana);
    await hana.client.invite(roomId, stack.triageBot);
    await hana.waitFor(() => hana.client.getRoom(roomId)?.getMember(stack.triageBot)?.membership === "leave", "the bot to turn the invite down");
    expect(caseOf(roomId).status).toBe("assigned");
    await stack.setShift(hana.account, false);
  });
});
