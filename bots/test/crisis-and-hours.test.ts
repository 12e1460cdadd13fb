/**
 * The crisis path, the after-hours path, skipping to a person and a triage
 * typed in Korean, with real parts: our homeserver, the bots service, and
 * matrix-js-sdk clients with Rust crypto for victims and staff.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import {
  answerTriage,
  dutyRoomId,
  eventually,
  messagesAfter,
  nextPrompt,
  queueStatus,
  waitForAlert,
  waitForField,
  waitForQueueStatus,
  waitForText,
} from "./conversation.ts";
import { Stack } from "./stack.ts";

/** Every crisis line of bots/content/crisis-lines.json: women's emergency line, suicide prevention, police, the national centre. */
const CRISIS_NUMBERS = ["1366", "109", "112", "02-735-8994"];

function expectCrisisLines(body: string): void {
  for (const number of CRISIS_NUMBERS) expect(body, `crisis line ${number}`).toContain(number);
}

/** The case of a victim's room (its id is all the ops API needs; the queue's view is read through the API). */
function caseIdOf(stack: Stack, roomId: string): string {
  const c = stack.bots.queue.cases.getByRoom(roomId);
  if (!c) throw new Error(`no case for ${roomId}`);
  return c.id;
}

async function queueEntry(stack: Stack, who: SdkClient, caseId: string): Promise<Record<string, any> | undefined> {
  const reply = await stack.ops(who.account, "GET", "/queue");
  expect(reply.status).toBe(200);
  return reply.body.cases.find((c: { id: string }) => c.id === caseId);
}

describe("the crisis path", () => {
  let stack: Stack;
  let mina: SdkClient; // companion on shift
  let sora: SdkClient; // supervisor on shift
  let jun: SdkClient; // companion off shift
  let duty: string;

  beforeAll(async () => {
    stack = await Stack.start();
    mina = await stack.staff("mina", { capacity: 10 });
    sora = await stack.staff("sora", { kind: "supervisor", capacity: 10 });
    jun = await stack.staff("jun", { onShift: false });
  });
  afterAll(async () => { await stack.close(); });

  it("crisis words typed mid-triage show the crisis lines at once, queue the case at once and alert every on-shift companion and supervisor", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const language = await answerTriage(victim, roomId, bot, [["language", "한국어"]]);
    const category = await nextPrompt(victim, roomId, bot, language);
    expect(category.id).toBe("category");

    await stack.say(victim, roomId, "그 영상 때문에 죽고 싶어요");
    // The very next thing the bot says is the crisis message, then, gently, the next question: the words count as the answer passed.
    const next = await nextPrompt(victim, roomId, bot, category.eventId);
    expect(next.id).toBe("minor");
    const between = messagesAfter(victim, roomId, bot, category.eventId);
    expect(between[0].body).toContain("당신은 혼자가 아니에요");
    expectCrisisLines(between[0].body);
    expect(between[0]["org.onsafe.prompt"]).toBeUndefined();
    expect(between[0]["org.onsafe.call"].map((l: { number: string }) => l.number)).toEqual(["109", "1366", "112"]);

    // Both on-shift staff are invited to the duty room and read the alert, which mentions them.
    duty = await dutyRoomId(mina);
    expect(await dutyRoomId(sora)).toBe(duty);
    await mina.client.joinRoom(duty);
    await sora.client.joinRoom(duty);
    const caseId = caseIdOf(stack, roomId);
    const alert = await waitForAlert(mina, duty, bot, caseId);
    await waitForAlert(sora, duty, bot, caseId);
    expect(alert.msgtype).toBe("m.notice");
    expect(alert.body).toContain(caseId);
    expect(alert["m.mentions"].user_ids).toEqual(expect.arrayContaining([mina.userId, sora.userId]));
    // The off-shift companion is neither mentioned nor brought into the room (the invites come before the alert).
    expect(alert["m.mentions"].user_ids).not.toContain(jun.userId);
    expect(mina.client.getRoom(duty)!.getMember(jun.userId)).toBeNull();
    expect(jun.client.getRooms().map((r) => r.roomId)).not.toContain(duty);

    // Queued and offered at once, as a crisis, while the questions go on (a supervisor may read any case).
    const during = await eventually(async () => (await stack.ops(sora.account, "GET", `/cases/${caseId}`)).body.case, (c) => c.status === "offered", "the case offered");
    expect(during).toMatchObject({ crisis: true, risk: "high" });
    expect(during.priority).toBeGreaterThanOrEqual(16);

    // The questions left go on without the suicide-risk screen.
    await answerTriage(victim, roomId, bot, [["minor", "아니요"]], category.eventId);
    await waitForText(victim, roomId, bot, "답해 주셔서 고마워요");
    const asked = messagesAfter(victim, roomId, bot).flatMap((m) => m["org.onsafe.prompt"] ? [m["org.onsafe.prompt"].id] : []);
    expect(asked).toEqual(["language", "category", "minor"]);
    const entry = await eventually(() => queueEntry(stack, mina, caseId), (e) => e?.minor === false, "the answer saved");
    expect(entry).toMatchObject({ status: "offered", crisis: true, risk: "high", category: null, language: "ko", position: 1 });
    expect(entry!.priority).toBeGreaterThanOrEqual(16);
  });

  it("a high-risk answer on the suicide screen (a plan or intent) shows the crisis lines at once and alerts staff", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const plan = await answerTriage(victim, roomId, bot, [
      ["language", "English"], ["category", "Harassment"], ["minor", "No"],
      ["risk_wish", "Yes"], ["risk_thoughts", "Yes"], ["risk_plan", "I have a plan"],
    ]);
    await waitForText(victim, roomId, bot, "You are not alone");
    const after = messagesAfter(victim, roomId, bot, plan);
    expect(after[0].body).toContain("You are not alone");
    expectCrisisLines(after[0].body);
    // The screen ends there: no question about past behaviour.
    expect(after.some((m) => m["org.onsafe.prompt"])).toBe(false);

    const caseId = caseIdOf(stack, roomId);
    const alert = await waitForAlert(mina, duty, bot, caseId);
    await waitForAlert(sora, duty, bot, caseId);
    expect(alert["m.mentions"].user_ids).toEqual(expect.arrayContaining([mina.userId, sora.userId]));
    expect(alert["m.mentions"].user_ids).not.toContain(jun.userId);
    // The case was queued after "under 19", before the screen; the crisis puts it first.
    const entry = await eventually(() => queueEntry(stack, mina, caseId), (e) => e?.crisis === true, "the case marked crisis");
    expect(entry).toMatchObject({ crisis: true, risk: "high", category: "harassment", language: "en" });
    expect(entry!.priority).toBeGreaterThanOrEqual(16);
  });

  it("a recent suicide attempt on the screen is a crisis too; staff who came on shift since are brought in and read the alert", async () => {
    const bot = stack.triageBot;
    await stack.setShift(jun.account, true);
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const behaviour = await answerTriage(victim, roomId, bot, [
      ["language", "한국어"], ["category", "성희롱"], ["minor", "성인"],
      ["risk_wish", "네"], ["risk_thoughts", "아니요"], ["risk_behaviour", "네, 최근 3개월 안에요"],
    ]);
    const crisis = await waitForText(victim, roomId, bot, "당신은 혼자가 아니에요");
    expectCrisisLines(crisis.body);
    expect(messagesAfter(victim, roomId, bot, behaviour)[0].body).toBe(crisis.body);
    const caseId = caseIdOf(stack, roomId);
    const alert = await waitForAlert(mina, duty, bot, caseId);
    expect(alert["m.mentions"].user_ids).toEqual(expect.arrayContaining([mina.userId, sora.userId, jun.userId]));
    // Jun joins the duty room now and can decrypt the alert sent to him at his invite.
    expect(await dutyRoomId(jun)).toBe(duty);
    await jun.client.joinRoom(duty);
    await waitForAlert(jun, duty, bot, caseId);
    expect(jun.undecryptable.get(duty) ?? 0).toBe(0);
    expect(await eventually(() => queueEntry(stack, mina, caseId), (e) => e !== undefined, "the case queued")).toMatchObject({ crisis: true, risk: "high" });
  });
});

describe("after hours: nobody on shift", () => {
  let stack: Stack;
  let hana: SdkClient;
  let early: SdkClient;
  let earlyRoom: string;
  let crisisRoom: string;
  const leftMessage = "I can't sleep. Please write to me in the morning, I will check this chat at 9";

  beforeAll(async () => {
    stack = await Stack.start();
    hana = await stack.staff("hana", { onShift: false, capacity: 1 });
  });
  afterAll(async () => { await stack.close(); });

  it("once queued the victim hears once, in one message with the crisis lines, that nobody is on shift, gets no queue card, and can leave a message", async () => {
    const bot = stack.triageBot;
    expect((await stack.hs.request("GET", "/_onsafe/v1/public/config")).body.open).toBe(false);
    early = await stack.visitor();
    earlyRoom = await stack.startConversation(early);
    await answerTriage(early, earlyRoom, bot, [
      ["language", "English"], ["category", "Something else"], ["minor", "No"],
      ["risk_wish", "No"], ["risk_thoughts", "No"], ["risk_behaviour", "No"],
    ]);
    const closed = await waitForText(early, earlyRoom, bot, "No counsellor is on shift right now");
    expect(closed.body).toMatch(/We expect to be open again from .+ at \d\d:\d\d/);
    expect(closed.body).toContain("Leave a message here");
    expectCrisisLines(closed.body);
    expect(closed["org.onsafe.call"].map((l: { number: string }) => l.number)).toEqual(["109", "1366", "112"]);
    await waitForText(early, earlyRoom, bot, "Thank you for answering");
    const said = messagesAfter(early, earlyRoom, bot);
    expect(said.filter((m) => /on shift/.test(m.body))).toHaveLength(1);
    expect(said.some((m) => /finding|companion/i.test(m.body))).toBe(false);
    expect(queueStatus(early, earlyRoom, bot)).toBeUndefined();
    await stack.say(early, earlyRoom, leftMessage);
  });

  it("crisis words after hours show the crisis lines, and that case goes before one queued earlier", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    crisisRoom = await stack.startConversation(victim);
    await answerTriage(victim, crisisRoom, bot, [["language", "English"]]);
    await stack.say(victim, crisisRoom, "I just want to talk to someone");
    await waitForText(victim, crisisRoom, bot, "No counsellor is on shift right now");
    await stack.say(victim, crisisRoom, "honestly I want to die");
    const crisis = await waitForText(victim, crisisRoom, bot, "You are not alone");
    expectCrisisLines(crisis.body);
    // Told once already that nobody is on shift: the crisis message does not say it again, nor promise a person.
    expect(crisis.body).not.toMatch(/on shift|being called|finding/);
    expect(crisis["org.onsafe.call"].map((l: { number: string }) => l.number)).toEqual(["109", "1366", "112"]);
    // First in the line nobody serves yet; neither victim gets a place in it until someone comes on shift.
    const crisisEntry = await eventually(() => queueEntry(stack, hana, caseIdOf(stack, crisisRoom)), (e) => e?.crisis === true, "the crisis case first");
    expect(crisisEntry).toMatchObject({ position: 1, status: "waiting" });
    expect(await queueEntry(stack, hana, caseIdOf(stack, earlyRoom))).toMatchObject({ position: 2 });
    expect(queueStatus(early, earlyRoom, bot)).toBeUndefined();
    expect(queueStatus(victim, crisisRoom, bot)).toBeUndefined();
  });

  it("a companion coming on shift is offered the crisis case first, then the other, and reads the message left for the morning", async () => {
    const bot = stack.triageBot;
    await stack.setShift(hana.account, true);
    await hana.waitForRoom(crisisRoom, "invite");
    const crisisCase = caseIdOf(stack, crisisRoom);
    const earlyCase = caseIdOf(stack, earlyRoom);
    expect(await queueEntry(stack, hana, crisisCase)).toMatchObject({ status: "offered", offered_to: hana.userId, crisis: true, position: 1 });
    // Capacity 1: the earlier case waits for her.
    expect(await queueEntry(stack, hana, earlyCase)).toMatchObject({ status: "waiting", offered_to: null, position: 2 });

    // Now the victims are told their places.
    await waitForQueueStatus(early, earlyRoom, bot, (s) => s.position === 2, "position 2");
    await hana.client.joinRoom(crisisRoom);
    const summary = await waitForField(hana, crisisRoom, bot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({ crisis: true, skipped: true, notes: [expect.objectContaining({ body: "honestly I want to die" })] });
    // Nobody was on shift to alert when the crisis began; coming on shift brings no late alert, the case simply comes first.
    expect(hana.client.getRooms().some((r) => r.name === "onsafe duty")).toBe(false);
    expect((await stack.ops(hana.account, "POST", `/cases/${crisisCase}/close`, { outcome: "supported" })).status).toBe(200);

    await hana.waitForRoom(earlyRoom, "invite");
    await hana.client.joinRoom(earlyRoom);
    const handed = await waitForField(hana, earlyRoom, bot, "org.onsafe.triage_summary");
    expect(handed["org.onsafe.triage_summary"]).toMatchObject({ category: "other", crisis: false, notes: [expect.objectContaining({ body: leftMessage })] });
    // The victim sees the summary too: its body lists nothing.
    expect(handed.body).toBe("We've passed your answers to your counsellor.");
  });
});

describe("skipping to a person, and a triage typed in Korean", () => {
  let stack: Stack;
  let mina: SdkClient;

  beforeAll(async () => {
    stack = await Stack.start();
    mina = await stack.staff("mina", { capacity: 10 });
  });
  afterAll(async () => { await stack.close(); });

  it("asking for a person at the first prompt, in Korean, ends triage in Korean and the summary says so", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const first = await nextPrompt(victim, roomId, bot);
    expect(first.id).toBe("language");
    await stack.say(victim, roomId, "상담사와 이야기하고 싶어요");
    await waitForText(victim, roomId, bot, "네, 알겠어요. 곧 상담사가 함께할게요");
    expect(messagesAfter(victim, roomId, bot, first.eventId).some((m) => m["org.onsafe.prompt"])).toBe(false);
    const status = await waitForQueueStatus(victim, roomId, bot, () => true, "anything");
    expect(status.body).toContain("다음 차례예요");

    await mina.waitForRoom(roomId, "invite");
    expect(await queueEntry(stack, mina, caseIdOf(stack, roomId))).toMatchObject({ language: "ko", category: null, risk: "unknown", offered_to: mina.userId });
    await mina.client.joinRoom(roomId);
    const summary = await waitForField(mina, roomId, bot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({ skipped: true, language: "ko", category: null });
    expect(summary.body).toBe("답해 주신 내용을 상담사에게 전했어요.");
  });

  it("asking for a person mid-way keeps the answers so far; crisis words while waiting still show the lines and alert staff", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const category = await answerTriage(victim, roomId, bot, [["language", "English"], ["category", "Deepfake"]]);
    const images = await nextPrompt(victim, roomId, bot, category);
    expect(images.id).toBe("images");
    await stack.say(victim, roomId, "I just want to talk to someone");
    await waitForText(victim, roomId, bot, "Of course. A counsellor will be with you soon.");
    await mina.waitForRoom(roomId, "invite");
    const caseId = caseIdOf(stack, roomId);
    expect(await queueEntry(stack, mina, caseId)).toMatchObject({ language: "en", category: "deepfake", crisis: false });

    await stack.say(victim, roomId, "I keep thinking I want to die");
    expectCrisisLines((await waitForText(victim, roomId, bot, "You are not alone")).body);
    const duty = await dutyRoomId(mina);
    await mina.client.joinRoom(duty);
    await waitForAlert(mina, duty, bot, caseId);
    expect(await queueEntry(stack, mina, caseId)).toMatchObject({ crisis: true, position: 1 });
  });

  it("a whole triage typed as Korean labels is asked and summarised in Korean", async () => {
    const bot = stack.triageBot;
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const language = await answerTriage(victim, roomId, bot, [["language", "한국어"]]);
    const category = await nextPrompt(victim, roomId, bot, language);
    expect(messagesAfter(victim, roomId, bot, language).at(-1)!.body).toContain("어떤 일이 있었는지");
    await answerTriage(victim, roomId, bot, [
      ["category", "딥페이크·합성된 성적 이미지"],
      ["images", "네, 이미 퍼졌어요"],
      ["minor", "아니요, 만 19세 이상이에요"],
      ["risk_wish", "아니요"],
      ["risk_thoughts", "아니요"],
      ["risk_behaviour", "아니요"],
    ], language);
    await waitForText(victim, roomId, bot, "답해 주셔서 고마워요. 상담사에게 전하고 싶은 말이");

    await mina.waitForRoom(roomId, "invite");
    await mina.client.joinRoom(roomId);
    const summary = await waitForField(mina, roomId, bot, "org.onsafe.triage_summary");
    expect(summary["org.onsafe.triage_summary"]).toMatchObject({
      language: "ko", category: "deepfake", images: "spread", minor: false, risk: "none", crisis: false, skipped: false,
    });
    expect(summary.body).toBe("답해 주신 내용을 상담사에게 전했어요.");
    await waitForText(victim, roomId, bot, "상담사가 들어왔어요");
  });
});
