/**
 * Issue 22, returning victims, bot side, with real parts (our homeserver, the
 * bots service, matrix-js-sdk clients with Rust crypto): a visitor whose case
 * was closed opens a new room with the triage bot, as the victim app's "Start a
 * new conversation" does. The bot asks first whether the new counsellor may know
 * about the earlier chat; a yes shows staff a summary of it in the case JSON, a
 * no keeps nothing, erasing the earlier case drops the link, and a new visitor
 * is asked nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseJson } from "@onsafe/schema";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { botsTables, type BotsStore, openBotsStore } from "../src/storage/index.ts";
import { eventually, messages, nextPrompt, pendingInvites } from "./conversation.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
/** A second connection to the bots database, to erase a case as retention does. */
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
const RETURNING = "previous_case";

/** A victim's first case: triage skipped, `companion` joins, the hand-off, then closed as the console closes it. */
async function closedCase(victim: SdkClient, companion: SdkClient): Promise<{ roomId: string; caseId: string }> {
  const roomId = await stack.startConversation(victim, { app: true });
  await stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: "category", option_id: "skip" }, "en");
  await eventually(async () => pendingInvites(companion, stack.triageBot).map((room) => room.roomId), (rooms) => rooms.includes(roomId), "the offer", 30_000);
  await companion.client.joinRoom(roomId);
  await eventually(async () => caseOf(roomId), (c) => c.handedOffAt !== null, "the hand-off", 30_000);
  const caseId = caseOf(roomId).id;
  await companion.sendText(roomId, "Take care. I'm closing this chat now.");
  expect((await stack.ops(companion.account, "POST", `/cases/${caseId}/close`, { outcome: "supported" })).status).toBe(200);
  await companion.client.invite(roomId, stack.triageBot);
  await companion.client.leave(roomId);
  return { roomId, caseId };
}

async function caseJson(reader: SdkClient, caseId: string): Promise<CaseJson> {
  const reply = await stack.ops(reader.account, "GET", `/cases/${caseId}`);
  expect(reply.status).toBe(200);
  return (reply.body as { case: CaseJson }).case;
}

/** Everything the bot said in the room that carried a prompt, by prompt id. */
const promptsIn = (client: SdkClient, roomId: string) =>
  messages(client, roomId).filter((m) => m.sender === stack.triageBot && m.content["org.onsafe.prompt"]).map((m) => m.content["org.onsafe.prompt"].id as string);

describe("a returning victim starts a new conversation", () => {
  it("is asked first whether the new counsellor may know; yes shows staff the earlier case, no keeps nothing, erasure drops the link, a new visitor is not asked", async () => {
    const mina = await stack.staff("mina", { capacity: 10, languages: ["en"] });
    const sora = await stack.staff("sora", { kind: "supervisor", onShift: false });
    const victim = await stack.visitor();
    const first = await closedCase(victim, mina);
    const closedAt = caseOf(first.roomId).closedAt;

    // A new room, as the app opens it (it showed its own greeting and category question): the bot asks the link question at once.
    const again = await stack.startConversation(victim, { app: true });
    const asked = await nextPrompt(victim, again, stack.triageBot);
    expect(asked.id).toBe(RETURNING);
    expect(asked.options.map((o) => o.id)).toEqual(["yes", "no"]);
    const question = messages(victim, again).find((m) => m.event.getId() === asked.eventId)!.content.body as string;
    expect(question).toContain("May your new counsellor know that you talked with us before?");
    expect(question).toMatch(/새 상담사가 알아도 될까요/);

    // Yes: thanks, and the app's first question asked again by the bot (the link question took its buttons away).
    await stack.say(victim, again, "Yes, they may know", { prompt_id: RETURNING, option_id: "yes" }, "en");
    const category = await nextPrompt(victim, again, stack.triageBot, asked.eventId);
    expect(category.id).toBe("category");
    expect(messages(victim, again).find((m) => m.event.getId() === category.eventId)!.content.body).toMatch(/^Thank you\. Your new counsellor will know you talked with us before\./);
    const linked = caseOf(again);
    expect(linked.previousCaseId).toBe(first.caseId);
    expect(await caseJson(sora, linked.id)).toMatchObject({
      previous_case: { id: first.caseId, category: null, outcome: "supported", closed_at: closedAt, assigned_to: mina.userId },
    });
    // Nothing more of the earlier case than that summary.
    expect(Object.keys((await caseJson(sora, linked.id)).previous_case!).sort()).toEqual(["assigned_to", "category", "closed_at", "id", "outcome"]);
    // The answer is not the victim's words for the counsellor's summary.
    expect(caseOf(again).notedEventIds).toEqual([]);

    // Another new room, as another client opens it: the greeting, then the link question instead of the language one. A typed "no".
    const third = await stack.startConversation(victim);
    const askedThird = await nextPrompt(victim, third, stack.triageBot);
    expect(askedThird.id).toBe(RETURNING);
    const no = await stack.say(victim, third, "no");
    const language = await nextPrompt(victim, third, stack.triageBot, askedThird.eventId);
    expect(language.id).toBe("language");
    // The bot saves the conversation just after it speaks.
    const fresh = await eventually(async () => caseOf(third), (c) => (c.triageState as { read: { ids: string[] } }).read.ids.includes(no), "the answer read", 20_000);
    expect(fresh.previousCaseId).toBeNull();
    expect((await caseJson(sora, fresh.id)).previous_case).toBeNull();
    // Nothing of the question is kept in the case's state either.
    expect(JSON.stringify(fresh.triageState)).not.toMatch(/returning|previous/);
    expect(fresh.notedEventIds).toEqual([]);

    // Retention erases the earlier case: the link goes with it.
    store.transaction(() => botsTables(store).erasure.erase(first.caseId));
    expect((await caseJson(sora, linked.id)).previous_case).toBeNull();
    expect(caseOf(again).previousCaseId).toBeNull();

    // A visitor with no earlier case: the app's first question is answered, and the next is triage's, never the link question.
    const newcomer = await stack.visitor();
    const room = await stack.startConversation(newcomer, { app: true });
    await stack.say(newcomer, room, "Someone filmed me", { prompt_id: "category", option_id: "illegal_filming" }, "en");
    const next = await nextPrompt(newcomer, room, stack.triageBot);
    expect(next.id).not.toBe(RETURNING);
    expect(promptsIn(newcomer, room)).not.toContain(RETURNING);
    expect(caseOf(room).previousCaseId).toBeNull();
  }, 180_000);
});
