/**
 * The scheduling bot end to end (docs/SCHEDULING.md): our homeserver, the bots
 * service, and real matrix-js-sdk clients with encryption for the victim and
 * two companions. The service's clock is moved by hand for the reminders.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadAttachment } from "../../test-support/encrypted-attachment.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { FakeClock } from "../src/queue/test-fixture.ts";
import { answerTriage, eventually, messages, nextPrompt, readableBy, waitForInvite, waitForText } from "./conversation.ts";
import { Stack } from "./stack.ts";

const HOUR = 3_600_000;
const ADDRESS = "역삼역 3번 출구 앞 조용한 카페";

let stack: Stack;
let clock: FakeClock;
let mina: SdkClient;
let jun: SdkClient;
let victim: SdkClient;
let counselling: string;
let appointments: string;
let slots: { id: string; starts_at: number }[];

/** The newest message from the scheduling bot with `org.onsafe.visit` of this stage. */
function visit(client: SdkClient, stage: string): Record<string, any> | undefined {
  return messages(client, appointments).filter((m) => m.sender === stack.schedulingBot && m.content["org.onsafe.visit"]?.stage === stage).at(-1)?.content;
}

async function waitForVisit(client: SdkClient, stage: string, check: (c: Record<string, any>) => boolean = () => true): Promise<Record<string, any>> {
  await client.waitFor(() => { const c = visit(client, stage); return c !== undefined && check(c); }, `a ${stage} message`);
  return visit(client, stage)!;
}

/** Taps option `optionId` of the bot's newest prompt after `after`. */
async function tap(after: string | undefined, optionId: string): Promise<string> {
  const prompt = await nextPrompt(victim, appointments, stack.schedulingBot, after);
  const option = prompt.options.find((o) => o.id === optionId);
  if (!option) throw new Error(`no option ${optionId} in ${prompt.id}: ${JSON.stringify(prompt.options)}`);
  await stack.say(victim, appointments, option.label, { prompt_id: prompt.id, option_id: optionId });
  return prompt.eventId;
}

beforeAll(async () => {
  clock = new FakeClock(Date.now());
  stack = await Stack.start({ clock, reminderCheckMs: 100 });
  mina = await stack.staff("mina");
  jun = await stack.staff("jun", { onShift: false });
  victim = await stack.visitor();
  counselling = await stack.startConversation(victim);
  await answerTriage(victim, counselling, stack.triageBot, [["language", "I just want to talk to someone"]]);
  await mina.waitForRoom(counselling, "invite");
  await mina.client.joinRoom(counselling);
  await mina.waitFor(() => mina.client.getRoom(counselling)?.getMember(stack.triageBot)?.membership === "leave", "the triage bot to leave");
}, 90_000);
afterAll(async () => { await stack?.close(); });

describe("an appointment arranged in the encrypted appointments room", () => {
  it("the companion publishes times; a past one is refused and changes nothing", async () => {
    const now = clock.now();
    const past = await stack.ops(mina.account, "POST", "/me/availability", { starts_at: now - HOUR, ends_at: now + HOUR });
    expect(past).toMatchObject({ status: 400, body: { errcode: "M_INVALID_PARAM" } });
    slots = [];
    for (const hours of [30, 54]) {
      const reply = await stack.ops(mina.account, "POST", "/me/availability", { starts_at: now + hours * HOUR, ends_at: now + (hours + 2) * HOUR });
      expect(reply.status).toBe(200);
      slots.push(reply.body.slot);
    }
    const mine = await stack.ops(mina.account, "GET", "/me/availability");
    expect(mine.body).toMatchObject({ time_zone: "Asia/Seoul", visits_per_day: 3 });
    expect(mine.body.slots.map((s: { id: string }) => s.id)).toEqual(slots.map((s) => s.id));
  });

  it("inviting the bot into the counselling room: it says where appointments happen and leaves at once", async () => {
    await mina.client.invite(counselling, stack.schedulingBot);
    await waitForText(victim, counselling, stack.schedulingBot, "Appointments");
    await mina.waitFor(() => mina.client.getRoom(counselling)?.getMember(stack.schedulingBot)?.membership === "leave", "the scheduling bot to leave");
    // The victim and the companion are invited to a new room by the bot.
    appointments = await waitForInvite(victim, stack.schedulingBot);
    await victim.client.joinRoom(appointments);
    await mina.waitForRoom(appointments, "invite");
    await mina.client.joinRoom(appointments);
    const room = victim.client.getRoom(appointments)!;
    expect(room.hasEncryptionStateEvent()).toBe(true);
    // No name or topic: room state is not encrypted.
    expect(room.currentState.getStateEvents("m.room.name", "")).toBeNull();
  });

  it("after its step, the bot's device cannot decrypt new messages in the counselling room", async () => {
    await mina.sendText(counselling, "Only for you: what happened next?");
    await victim.waitForMessage(counselling, "Only for you: what happened next?");
    const sent = messages(victim, counselling).find((m) => m.content.body === "Only for you: what happened next?")!.event;
    expect(await readableBy(stack.bots.scheduling.client, sent)).toBe(false);
    // The same check on the bot's own appointments room reads fine: the test can tell the two apart.
    const question = await nextPrompt(victim, appointments, stack.schedulingBot);
    const own = messages(victim, appointments).find((m) => m.event.getId() === question.eventId)!.event;
    expect(await readableBy(stack.bots.scheduling.client, own)).toBe(true);
  });

  it("the victim chooses the kind, a time, a place and types an address; both see the confirmation and a calendar file", async () => {
    const kind = await nextPrompt(victim, appointments, stack.schedulingBot);
    expect(kind.id).toMatch(/^a-[0-9a-z]{6}\.kind$/);
    const afterKind = await tap(undefined, "counselling_visit");
    const times = await nextPrompt(victim, appointments, stack.schedulingBot, afterKind);
    expect(times.options.map((o) => o.id)).toEqual([...slots.map((s) => s.id), "none"]);
    // Typing the number works as well as tapping.
    await stack.say(victim, appointments, "1");
    const afterPlace = await tap(times.eventId, "public_place");
    const address = await nextPrompt(victim, appointments, stack.schedulingBot, afterPlace);
    expect(address.id).toMatch(/\.address$/);
    await stack.say(victim, appointments, ADDRESS);

    const confirmed = await waitForVisit(victim, "confirmed");
    expect(confirmed["org.onsafe.visit"]).toMatchObject({ kind: "counselling_visit", starts_at: slots[0].starts_at, ends_at: slots[0].starts_at + HOUR, place: "public_place", address: ADDRESS, time_zone: "Asia/Seoul" });
    expect(confirmed.body).toContain(ADDRESS);
    expect((await waitForVisit(mina, "confirmed")).body).toContain(ADDRESS);

    // The calendar file: an encrypted attachment the victim's client can open.
    await victim.waitFor(() => messages(victim, appointments).some((m) => m.content.msgtype === "m.file"), "the calendar file");
    const file = messages(victim, appointments).find((m) => m.content.msgtype === "m.file")!.content;
    expect(file.url).toBeUndefined();
    const ics = (await downloadAttachment(stack.hs.url, victim.account.token, file.file)).toString("utf8");
    expect(ics).toContain(`DTSTART:${new Date(slots[0].starts_at).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
    expect(ics).toContain(`LOCATION:${ADDRESS}`);
    expect(ics).toContain("SUMMARY:약속 / Appointment");
  });

  it("the agenda shows it with ids and times only, and the address is nowhere in the data directory", async () => {
    const agenda = await stack.ops(mina.account, "GET", "/me/appointments");
    expect(agenda.body.appointments).toHaveLength(1);
    expect(agenda.body.appointments[0]).toMatchObject({ kind: "counselling_visit", status: "confirmed", starts_at: slots[0].starts_at, place: "public_place" });
    expect(JSON.stringify(agenda.body)).not.toContain("카페");
    for (const name of readdirSync(stack.config.dataDir, { recursive: true }) as string[]) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(stack.config.dataDir, name)); } catch { continue; }
      expect(bytes.includes(Buffer.from(ADDRESS)), `the address in ${name}`).toBe(false);
    }
  });

  it("reminds the victim 24 h and 1 h before", async () => {
    clock.t = slots[0].starts_at - 24 * HOUR + 1000;
    const day = await waitForVisit(victim, "reminder");
    expect(day.body).toContain("tomorrow");
    clock.t = slots[0].starts_at - HOUR + 1000;
    await victim.waitFor(() => messages(victim, appointments).filter((m) => m.content["org.onsafe.visit"]?.stage === "reminder").length === 2, "the 1 h reminder");
    expect(visit(victim, "reminder")!.body).toContain("in one hour");
    clock.t = Date.now();
  });

  it("the victim moves it to the other time; the first slot is free again", async () => {
    const confirmation = messages(victim, appointments).filter((m) => m.sender === stack.schedulingBot && m.content["org.onsafe.visit"]?.stage === "confirmed").at(-1)!;
    const prompt = confirmation.content["org.onsafe.prompt"];
    await stack.say(victim, appointments, "Change the time", { prompt_id: prompt.id, option_id: "change" });
    const times = await nextPrompt(victim, appointments, stack.schedulingBot, confirmation.event.getId());
    // The time it holds is "keep"; the other free one is offered.
    expect(times.options.map((o) => o.id)).toEqual([slots[1].id, "keep", "none"]);
    await stack.say(victim, appointments, "1");
    await waitForVisit(mina, "confirmed", (c) => c["org.onsafe.visit"].starts_at === slots[1].starts_at);
    // The bot records the new time once its calendar file is out too.
    await eventually(() => stack.ops(mina.account, "GET", "/me/appointments"), (r) => r.body.appointments[0]?.step === "settled", "the move to be recorded");
    const mine = await stack.ops(mina.account, "GET", "/me/availability");
    expect(mine.body.slots.map((s: { appointment_id: string | null }) => s.appointment_id !== null)).toEqual([false, true]);
  });

  it("someone else's appointment, an unknown slot or appointment: clear errors, nothing changed", async () => {
    const [a] = (await stack.ops(mina.account, "GET", "/me/appointments")).body.appointments;
    const before = JSON.stringify([(await stack.ops(mina.account, "GET", "/me/appointments")).body, (await stack.ops(mina.account, "GET", "/me/availability")).body]);
    expect(await stack.ops(jun.account, "POST", `/appointments/${a.id}/cancel`)).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    expect(await stack.ops(mina.account, "POST", "/appointments/a-000000/reschedule")).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    expect(await stack.ops(mina.account, "DELETE", "/me/availability/s-000000")).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    expect(await stack.ops(mina.account, "DELETE", `/me/availability/${slots[1].id}`)).toMatchObject({ status: 409, body: { errcode: "M_BAD_STATE" } });
    expect(await stack.ops(jun.account, "POST", `/cases/${a.case_id}/appointments`, { kind: "court_hearing" })).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
    expect(await stack.ops(mina.account, "POST", `/cases/${a.case_id}/appointments`, { kind: "picnic" })).toMatchObject({ status: 400, body: { errcode: "M_INVALID_PARAM" } });
    expect(await stack.ops(mina.account, "POST", "/me/availability", { starts_at: "tomorrow", ends_at: 1 })).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    const after = JSON.stringify([(await stack.ops(mina.account, "GET", "/me/appointments")).body, (await stack.ops(mina.account, "GET", "/me/availability")).body]);
    expect(JSON.parse(after)).toEqual(JSON.parse(before));
  });

  it("a tap while the bots service is down is answered once it is back (its keys and read mark kept)", async () => {
    const confirmation = messages(victim, appointments).filter((m) => m.sender === stack.schedulingBot && m.content["org.onsafe.visit"]?.stage === "confirmed").at(-1)!;
    const prompt = confirmation.content["org.onsafe.prompt"];
    await stack.stopBots();
    await stack.say(victim, appointments, "Cancel", { prompt_id: prompt.id, option_id: "cancel" });
    await stack.startBots();
    const ask = await nextPrompt(victim, appointments, stack.schedulingBot, confirmation.event.getId());
    expect(ask.id).toBe(prompt.id.replace(/\.manage$/, ".cancel"));
    await stack.say(victim, appointments, "No, keep it", { prompt_id: ask.id, option_id: "no" });
    await waitForText(victim, appointments, stack.schedulingBot, "stays as it is");
    expect((await stack.ops(mina.account, "GET", "/me/appointments")).body.appointments[0]).toMatchObject({ status: "confirmed", step: "settled" });
  });

  it("the companion cancels; the victim is told in the appointments room and the slot is free", async () => {
    const [a] = (await stack.ops(mina.account, "GET", "/me/appointments")).body.appointments;
    const reply = await stack.ops(mina.account, "POST", `/appointments/${a.id}/cancel`);
    expect(reply.body.appointment).toMatchObject({ status: "cancelled", cancelled_by: "companion" });
    const cancelled = await waitForVisit(victim, "cancelled");
    expect(cancelled["org.onsafe.visit"]).toMatchObject({ appointment_id: a.id, cancelled_by: "companion" });
    // It stays on the agenda as cancelled, as one by the victim would.
    expect((await stack.ops(mina.account, "GET", "/me/appointments")).body.appointments).toMatchObject([{ id: a.id, status: "cancelled", cancelled_by: "companion" }]);
    const mine = await stack.ops(mina.account, "GET", "/me/availability");
    expect(mine.body.slots.every((s: { appointment_id: string | null }) => s.appointment_id === null)).toBe(true);
  });
});

describe("two victims, one free time", () => {
  /** A new victim through triage to mina; returns the victim, the case id and their appointments room (joined). */
  async function caseWithAppointment(): Promise<{ victim: SdkClient; caseId: string; room: string }> {
    const v = await stack.visitor();
    const roomId = await stack.startConversation(v);
    await answerTriage(v, roomId, stack.triageBot, [["language", "I just want to talk to someone"]]);
    await mina.waitForRoom(roomId, "invite");
    await mina.client.joinRoom(roomId);
    const caseId = stack.bots.queue.cases.getByRoom(roomId)!.id;
    await eventually(() => stack.ops(mina.account, "GET", `/cases/${caseId}`), (r) => r.body.case?.status === "assigned", "the case to be mina's");
    expect((await stack.ops(mina.account, "POST", `/cases/${caseId}/appointments`, { kind: "counselling_visit" })).status).toBe(200);
    const room = await waitForInvite(v, stack.schedulingBot);
    await v.client.joinRoom(room);
    return { victim: v, caseId, room };
  }

  it("both tap it at once: one books it, the other is told it was taken and offered what is left", async () => {
    const start = clock.now() + 80 * HOUR;
    const only = (await stack.ops(mina.account, "POST", "/me/availability", { starts_at: start, ends_at: start + 2 * HOUR })).body.slot;
    const [a, b] = [await caseWithAppointment(), await caseWithAppointment()];
    const [pa, pb] = await Promise.all([nextPrompt(a.victim, a.room, stack.schedulingBot), nextPrompt(b.victim, b.room, stack.schedulingBot)]);
    expect(pa.options.map((o) => o.id)).toContain(only.id);
    expect(pb.options.map((o) => o.id)).toContain(only.id);
    await Promise.all([
      stack.say(a.victim, a.room, "1", { prompt_id: pa.id, option_id: only.id }),
      stack.say(b.victim, b.room, "1", { prompt_id: pb.id, option_id: only.id }),
    ]);
    const outcome = async (x: { victim: SdkClient; room: string }) => {
      await x.victim.waitFor(() => messages(x.victim, x.room).some((m) => m.sender === stack.schedulingBot && (/taken|booked by someone else/.test(String(m.content.body)) || m.content["org.onsafe.prompt"]?.id?.endsWith(".place"))), "the bot's answer");
      return messages(x.victim, x.room).some((m) => m.content["org.onsafe.prompt"]?.id?.endsWith(".place")) ? "booked" : "taken";
    };
    const [ra, rb] = await Promise.all([outcome(a), outcome(b)]);
    expect([ra, rb].sort()).toEqual(["booked", "taken"]);
    const held = (await stack.ops(mina.account, "GET", "/me/availability")).body.slots.find((s: { id: string }) => s.id === only.id);
    const winner = ra === "booked" ? a : b;
    const appointments = (await stack.ops(mina.account, "GET", `/cases/${winner.caseId}/appointments`)).body.appointments;
    expect(held.appointment_id).toBe(appointments.at(-1).id);
  });
});
