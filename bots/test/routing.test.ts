/**
 * Routing with real parts (docs/QUEUE.md "Routing" and "What the victim is
 * told"): our homeserver, the bots service, and matrix-js-sdk clients with
 * Rust crypto for victims and companions. Each scenario has its own stack, so
 * loads and shifts start from nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { answerTriage, eventually, queueStatus, waitForField, waitForQueueStatus, waitForText } from "./conversation.ts";
import { Stack } from "./stack.ts";

const SKIP_EN = "I just want to talk to someone";
const SKIP_KO = "상담사와 이야기하고 싶어요";

/** A victim opens a chat and asks for a person at the first prompt (the quickest way into the queue); returns the room. */
async function skipToQueue(stack: Stack, victim: SdkClient, words = SKIP_EN): Promise<string> {
  const roomId = await stack.startConversation(victim);
  await answerTriage(victim, roomId, stack.triageBot, [["language", words]]);
  return roomId;
}

function caseIdOf(stack: Stack, roomId: string): string {
  const c = stack.bots.queue.cases.getByRoom(roomId);
  if (!c) throw new Error(`no case for ${roomId}`);
  return c.id;
}

async function queue(stack: Stack, who: SdkClient): Promise<Record<string, any>[]> {
  const reply = await stack.ops(who.account, "GET", "/queue");
  expect(reply.status).toBe(200);
  return reply.body.cases;
}

async function entry(stack: Stack, who: SdkClient, roomId: string): Promise<Record<string, any> | undefined> {
  const id = caseIdOf(stack, roomId);
  return (await queue(stack, who)).find((c) => c.id === id);
}

async function load(stack: Stack, who: SdkClient): Promise<number> {
  return (await stack.ops(who.account, "GET", "/me")).body.load;
}

describe("language match", () => {
  let stack: Stack;
  let hana: SdkClient; // Korean only
  let eli: SdkClient; // English only

  beforeAll(async () => {
    stack = await Stack.start();
    hana = await stack.staff("hana", { languages: ["ko"] });
    eli = await stack.staff("eli", { languages: ["en"] });
  });
  afterAll(async () => { await stack.close(); });

  it("English cases go to the English-speaking companion even when the Korean-only one is less loaded; a Korean case goes to her", async () => {
    const first = await skipToQueue(stack, await stack.visitor());
    await eli.waitForRoom(first, "invite");
    const second = await skipToQueue(stack, await stack.visitor());
    await eli.waitForRoom(second, "invite");
    expect(await entry(stack, eli, second)).toMatchObject({ language: "en", status: "offered", offered_to: eli.userId });
    expect(await load(stack, eli)).toBe(2);
    expect(await load(stack, hana)).toBe(0);

    const korean = await skipToQueue(stack, await stack.visitor(), SKIP_KO);
    await hana.waitForRoom(korean, "invite");
    expect(await entry(stack, hana, korean)).toMatchObject({ language: "ko", offered_to: hana.userId });
    expect(hana.client.getRoom(first)).toBeNull();
  });
});

describe("capacity and the victim's place in the queue", () => {
  let stack: Stack;
  let solo: SdkClient;
  let first: string;
  let second: string;
  let secondVictim: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    solo = await stack.staff("solo", { capacity: 1 });
  });
  afterAll(async () => { await stack.close(); });

  it("a companion with capacity 1 and one case gets no second offer; the second victim sees their place", async () => {
    const bot = stack.triageBot;
    const firstVictim = await stack.visitor();
    first = await skipToQueue(stack, firstVictim);
    await solo.waitForRoom(first, "invite");
    expect((await waitForQueueStatus(firstVictim, first, bot, () => true, "anything")).body).toContain("You're next.");

    secondVictim = await stack.visitor();
    second = await skipToQueue(stack, secondVictim);
    const status = await waitForQueueStatus(secondVictim, second, bot, () => true, "anything");
    expect(status).toMatchObject({ position: 2, expected_wait_minutes: null, edits: 0 });
    expect(status.body).toContain("You are number 2 in the queue.");
    expect(status.body).toContain("We'll be with you as soon as we can.");
    // The queue notice comes after routing, so a second offer would already be recorded.
    expect(await entry(stack, solo, second)).toMatchObject({ status: "waiting", offered_to: null, position: 2 });
    expect(await load(stack, solo)).toBe(1);
  });

  it("when the first case leaves the queue, the second victim's notice is edited in place, and the freed capacity takes the case", async () => {
    const bot = stack.triageBot;
    await solo.client.joinRoom(first);
    await waitForField(solo, first, bot, "org.onsafe.triage_summary");
    const moved = await waitForQueueStatus(secondVictim, second, bot, (s) => s.position === 1, "position 1");
    expect(moved.edits).toBe(1);
    expect(moved.body).toContain("You're next.");
    // One notice, edited: not a second notice.
    expect(secondVictim.client.getRoom(second)!.getLiveTimeline().getEvents()
      .filter((e) => e.getSender() === bot && e.getOriginalContent()["org.onsafe.queue"] && !e.getRelation())).toHaveLength(1);
    // Still at capacity with the assigned case.
    expect(await entry(stack, solo, second)).toMatchObject({ status: "waiting", offered_to: null });

    const closed = await stack.ops(solo.account, "POST", `/cases/${caseIdOf(stack, first)}/close`, { outcome: "supported" });
    expect(closed.status).toBe(200);
    await solo.waitForRoom(second, "invite");
    expect(await entry(stack, solo, second)).toMatchObject({ status: "offered", offered_to: solo.userId });
  });

  it("with enough recent cases the victim is also told an expected wait", async () => {
    const bot = stack.triageBot;
    await solo.client.joinRoom(second);
    await waitForField(solo, second, bot, "org.onsafe.triage_summary");
    // Three more cases that the companion claims (a claim ignores capacity): five assigned in all.
    for (let i = 0; i < 3; i++) {
      const victim = await stack.visitor();
      const roomId = await skipToQueue(stack, victim);
      await waitForQueueStatus(victim, roomId, bot, () => true, "anything");
      expect((await stack.ops(solo.account, "POST", `/cases/${caseIdOf(stack, roomId)}/claim`)).status).toBe(200);
    }
    const victim = await stack.visitor();
    const roomId = await skipToQueue(stack, victim);
    const status = await waitForQueueStatus(victim, roomId, bot, () => true, "anything");
    // The recent waits are moments long; the estimate is rounded up to at least 5 minutes.
    expect(status).toMatchObject({ position: 1, expected_wait_minutes: 5 });
    expect(status.body).toContain("The expected wait is about 5 minutes.");
  });
});

describe("an offer nobody accepts moves on", () => {
  const offerTimeoutMs = 2_000;
  let stack: Stack;
  let ana: SdkClient;
  let ben: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start({ offerTimeoutMs, offerCheckMs: 250 });
    ana = await stack.staff("ana");
    ben = await stack.staff("ben");
  });
  afterAll(async () => { await stack.close(); });

  it("a lapsed offer is withdrawn and goes to the next companion, who can take it", async () => {
    const roomId = await skipToQueue(stack, await stack.visitor());
    // Equal loads: the user id decides, so ana is first.
    await ana.waitForRoom(roomId, "invite");
    expect(await entry(stack, ana, roomId)).toMatchObject({ offered_to: ana.userId });
    // The service's own timer finds the lapsed offer.
    await ben.waitForRoom(roomId, "invite");
    expect(await entry(stack, ben, roomId)).toMatchObject({ status: "offered", offered_to: ben.userId });
    await ana.waitFor(() => ana.client.getRoom(roomId)?.getMyMembership() === "leave", "the invite withdrawn");

    await ben.client.joinRoom(roomId);
    await waitForField(ben, roomId, stack.triageBot, "org.onsafe.triage_summary");
    expect(await entry(stack, ben, roomId)).toBeUndefined();
  });

  it("a declined invite goes to the next companion at once", async () => {
    const roomId = await skipToQueue(stack, await stack.visitor());
    // Ben has a case now, so ana is less loaded.
    await ana.waitForRoom(roomId, "invite");
    await ana.client.leave(roomId);
    await ben.waitForRoom(roomId, "invite");
    expect(await entry(stack, ben, roomId)).toMatchObject({ status: "offered", offered_to: ben.userId });
  });
});

describe("two victims at once", () => {
  let stack: Stack;
  let kim: SdkClient;
  let lee: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    kim = await stack.staff("kim");
    lee = await stack.staff("lee");
  });
  afterAll(async () => { await stack.close(); });

  it("go to two different companions", async () => {
    const [one, two] = await Promise.all([stack.visitor(), stack.visitor()]);
    const [roomOne, roomTwo] = await Promise.all([stack.startConversation(one), stack.startConversation(two)]);
    await Promise.all([
      answerTriage(one, roomOne, stack.triageBot, [["language", SKIP_EN]]),
      answerTriage(two, roomTwo, stack.triageBot, [["language", SKIP_KO]]),
    ]);
    const offered = await eventually(
      async () => (await queue(stack, kim)).filter((c) => c.status === "offered").map((c) => c.offered_to),
      (to) => to.length === 2, "both cases offered");
    expect(offered.sort()).toEqual([kim.userId, lee.userId].sort());
    const kimRoom = (await entry(stack, kim, roomOne))!.offered_to === kim.userId ? roomOne : roomTwo;
    const leeRoom = kimRoom === roomOne ? roomTwo : roomOne;
    await kim.waitForRoom(kimRoom, "invite");
    await lee.waitForRoom(leeRoom, "invite");
    await Promise.all([kim.client.joinRoom(kimRoom), lee.client.joinRoom(leeRoom)]);
    await waitForField(kim, kimRoom, stack.triageBot, "org.onsafe.triage_summary");
    await waitForField(lee, leeRoom, stack.triageBot, "org.onsafe.triage_summary");
    expect([await load(stack, kim), await load(stack, lee)]).toEqual([1, 1]);
  });
});

describe("priority beats arrival order", () => {
  let stack: Stack;
  let pia: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    pia = await stack.staff("pia", { capacity: 1, onShift: false });
  });
  afterAll(async () => { await stack.close(); });

  it("a later case with a threat deadline within 24 hours goes first; places are told once someone comes on shift", async () => {
    const bot = stack.triageBot;
    const early = await stack.visitor();
    const earlyRoom = await skipToQueue(stack, early);
    await waitForText(early, earlyRoom, bot, "No counsellor is on shift right now");

    const urgent = await stack.visitor();
    const urgentRoom = await stack.startConversation(urgent);
    // Due today: three steps at once and into the queue, before the images are asked.
    await answerTriage(urgent, urgentRoom, bot, [["language", "English"], ["category", "Sextortion"], ["deadline", "Within 24 hours"], ["images", SKIP_EN]]);
    const steps = await waitForText(urgent, urgentRoom, bot, "Please do these three things now");
    expect(steps.body).toContain("call Women's emergency line 1366");
    await waitForText(urgent, urgentRoom, bot, "Of course. Write here anything you like");
    const urgentCase = await eventually(() => queue(stack, pia), (cases) => cases.length === 2 && cases[0].id === caseIdOf(stack, urgentRoom), "the urgent case first");
    expect(urgentCase.map((c) => c.status)).toEqual(["waiting", "waiting"]);
    // Nobody on shift: no place in line is told.
    expect(queueStatus(early, earlyRoom, bot)).toBeUndefined();
    expect(queueStatus(urgent, urgentRoom, bot)).toBeUndefined();

    await stack.setShift(pia.account, true);
    await pia.waitForRoom(urgentRoom, "invite");
    const cases = await queue(stack, pia);
    expect(cases.map((c) => [c.id, c.status, c.offered_to, c.position])).toEqual([
      [caseIdOf(stack, urgentRoom), "offered", pia.userId, 1],
      [caseIdOf(stack, earlyRoom), "waiting", null, 2],
    ]);
    expect(cases[0].priority).toBeGreaterThan(cases[1].priority);
    expect(pia.client.getRoom(earlyRoom)).toBeNull();
    expect((await waitForQueueStatus(early, earlyRoom, bot, (s) => s.position === 2, "position 2")).body).toContain("You are number 2 in the queue.");
    expect((await waitForQueueStatus(urgent, urgentRoom, bot, () => true, "anything")).position).toBe(1);
  });
});
