/**
 * The console's side of scheduling (issue 7, docs/SCHEDULING.md) in Chromium
 * against the real homeserver, bots service and scheduling bot, with a Node
 * client for the victim: the companion publishes slots in the agenda (a past
 * one is refused with the server's own words), arranges a visit from the
 * conversation, the victim picks a time in the appointments room, the agenda
 * shows it confirmed at that time, and cancelling it in the console reaches
 * the victim. `/visit` typed in the composer goes to the ops API, never into
 * the counselling room.
 */
import type { AppointmentJson, AvailabilityJson } from "@onsafe/schema/ops-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { messages, nextPrompt, type Prompt, waitForInvite, waitForText } from "../../bots/test/conversation.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { acceptNewCase, openView, signInToConsole } from "./console-page.ts";

const HOUR = 3_600_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const env = useBrowserStack();
let context: BrowserContext;
/** The first test's companion, taken off shift by the next. */
let hana: SdkClient;

beforeAll(async () => {
  // A computer in another time zone than the service: the console must still show and take times on Seoul's clock.
  context = await env.tablet({ timezoneId: "America/New_York" });
});

/** A date `days` after today on the service's clock in Seoul (UTC+9, no daylight saving), as `YYYY-MM-DD`. */
function seoulDate(days: number): string {
  return new Date(Date.now() + 9 * HOUR + days * 24 * HOUR).toISOString().slice(0, 10);
}
const seoulInstant = (date: string, time: string) => Date.parse(`${date}T${time}:00+09:00`);
/** How the English console writes that date: "3 Dec". */
const dayMonth = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

/** Waits for the bot's next prompt after `after`, answers it as a tap on the option `pick` chooses, returns the prompt. */
async function tap(victim: SdkClient, roomId: string, bot: string, after: string | undefined, pick: (p: Prompt) => Prompt["options"][number] | undefined): Promise<Prompt> {
  const prompt = await nextPrompt(victim, roomId, bot, after);
  const option = pick(prompt);
  if (!option) throw new Error(`no option to pick in the prompt "${prompt.id}": ${JSON.stringify(prompt.options)}`);
  await env.stack.say(victim, roomId, option.label, { prompt_id: prompt.id, option_id: option.id });
  return prompt;
}

/** The stage of every `org.onsafe.visit` the victim has received in the room, oldest first. */
const visitStages = (victim: SdkClient, roomId: string, bot: string) =>
  messages(victim, roomId).filter((m) => m.sender === bot && m.content["org.onsafe.visit"]).map((m) => m.content["org.onsafe.visit"].stage as string);

describe("scheduling in the companion console", () => {
  it("publishes slots, arranges a visit the victim books, shows it in the agenda, cancels and changes it, asks for more times, and keeps /visit out of the room", async () => {
    hana = await env.stack.staff("hana", { languages: ["en", "ko"], onShift: false });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
    await signInToConsole(page, env.stack.hs.url, "hana");
    await openView(page, "Agenda");
    const agenda = page.locator("section.agenda");
    await agenda.getByRole("heading", { name: "Agenda" }).waitFor({ timeout: 45_000 });
    await agenda.getByText("No future slots.").waitFor({ timeout: 45_000 });
    const availability = async () => (await env.stack.ops(hana.account, "GET", "/me/availability")).body as AvailabilityJson;
    expect((await availability()).time_zone).toBe("Asia/Seoul");
    await agenda.getByText("All times are in Asia/Seoul.").waitFor();

    // A slot yesterday: the server refuses it, and the console shows its errcode and words as they are.
    const yesterday = seoulDate(-1);
    await agenda.getByLabel("Date").fill(yesterday);
    await agenda.getByLabel("Start time").fill("10:00");
    await agenda.getByRole("button", { name: "Add a slot" }).click();
    const refused = agenda.getByRole("alert");
    await refused.waitFor({ timeout: 30_000 });
    const direct = await env.stack.ops(hana.account, "POST", "/me/availability", { starts_at: seoulInstant(yesterday, "10:00"), ends_at: seoulInstant(yesterday, "11:00") });
    expect(direct.status).toBe(400);
    expect(await refused.textContent()).toBe(`Refused (${direct.body.errcode}): ${direct.body.error}`);
    expect(direct.body.errcode).toBe("M_INVALID_PARAM");
    expect((await availability()).slots).toEqual([]);

    // Three slots the day after tomorrow (Seoul time, whatever the computer's zone); the third is deleted again.
    const day = seoulDate(2);
    const addSlot = async (start: string, minutes: string) => {
      await agenda.getByLabel("Date").fill(day);
      await agenda.getByLabel("Start time").fill(start);
      await agenda.getByLabel("Length").selectOption({ value: minutes });
      await agenda.getByRole("button", { name: "Add a slot" }).click();
    };
    await addSlot("10:00", "60");
    await addSlot("14:00", "90");
    await addSlot("16:30", "120");
    const slotItems = agenda.locator("li.slot");
    await expect.poll(() => slotItems.count(), { timeout: 30_000 }).toBe(3);
    expect(await refused.count()).toBe(0);
    const slots = (await availability()).slots;
    expect(slots.map((s) => [s.starts_at, s.ends_at])).toEqual([
      [seoulInstant(day, "10:00"), seoulInstant(day, "11:00")],
      [seoulInstant(day, "14:00"), seoulInstant(day, "15:30")],
      [seoulInstant(day, "16:30"), seoulInstant(day, "18:30")],
    ]);
    expect(await slotItems.first().textContent()).toContain(dayMonth(day));
    expect(await slotItems.first().locator(".when").textContent()).toMatch(/10:00\s?–\s?11:00$/);
    await slotItems.nth(2).getByRole("button", { name: /^Delete / }).click();
    await expect.poll(() => slotItems.count(), { timeout: 30_000 }).toBe(2);
    expect((await availability()).slots.map((s) => s.id)).toEqual(slots.slice(0, 2).map((s) => s.id));

    await agenda.getByLabel("Visits per day (at most)").fill("2");
    await agenda.getByRole("button", { name: "Save" }).click();
    await agenda.getByText("Saved: at most 2 a day.").waitFor({ timeout: 30_000 });
    expect((await availability()).visits_per_day).toBe(2);

    // A victim skips triage; the companion goes on shift and accepts.
    const { victim, roomId, caseId } = await acceptNewCase(page, env.stack, hana.account);
    const caseAppointments = async () => (await env.stack.ops(hana.account, "GET", `/cases/${caseId}/appointments`)).body.appointments as AppointmentJson[];

    // `/visit` with an unknown kind: a help line, the text back in the composer, nothing sent or asked.
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.fill("/visit tomorrow");
    await composer.press("Enter");
    const help = page.locator(".visit-notice[role=alert]");
    await help.waitFor({ timeout: 5000 });
    expect(await help.textContent()).toContain("counselling_visit");
    expect(await help.textContent()).toContain("Nothing was sent.");
    expect(await composer.inputValue()).toBe("/visit tomorrow");
    expect(await caseAppointments()).toEqual([]);

    // "Arrange a visit" for a counselling visit: the scheduling bot invites the victim to the appointments room.
    await composer.fill("");
    await page.getByText("Visits and accompaniment").click();
    await page.getByLabel("Kind of appointment").selectOption({ label: "Counselling visit" });
    const arranged = performance.now();
    await page.getByRole("button", { name: "Arrange a visit" }).click();
    await page.locator(".visit-notice[role=status]", { hasText: "The scheduling bot is inviting the victim" }).waitFor({ timeout: 30_000 });
    const [requested] = await caseAppointments();
    expect(requested).toMatchObject({ kind: "counselling_visit", status: "requested" });

    const schedulingBot = (await env.stack.hs.request("GET", "/_onsafe/v1/public/config")).body.scheduling_bot as string;
    const appointmentsRoom = await waitForInvite(victim, schedulingBot);
    await victim.client.joinRoom(appointmentsRoom);
    // The times offered are the companion's, soonest first: the victim takes the first (10:00).
    const timePrompt = await tap(victim, appointmentsRoom, schedulingBot, undefined, (p) => p.options[0]);
    expect(timePrompt.options[0].label).toContain("10:00");
    console.log(`[console] "Arrange a visit" pressed -> times offered to the victim: ${(performance.now() - arranged).toFixed(0)} ms`);
    expect(timePrompt.options).toHaveLength(3); // the two free slots and "I need another time"
    await tap(victim, appointmentsRoom, schedulingBot, timePrompt.eventId, (p) => p.options.find((o) => o.id === "centre"));
    await victim.waitFor(() => visitStages(victim, appointmentsRoom, schedulingBot).includes("confirmed"), "the confirmation");

    // The agenda shows it confirmed, at the slot's time in Seoul, at the centre; the slot is booked.
    await openView(page, "Agenda");
    const item = agenda.locator(`li.appointment[data-appointment="${requested.id}"]`);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Confirmed");
    expect(await item.getAttribute("data-starts-at")).toBe(String(slots[0].starts_at));
    const facts = await item.locator(".case-facts").textContent();
    expect(facts).toContain("Counselling visit");
    expect(facts).toContain(dayMonth(day));
    expect(await item.locator(".when").textContent()).toMatch(/10:00\s?–\s?11:00$/);
    expect(facts).toContain("The centre");
    expect(facts).toContain(`Case ${caseId}`);
    const booked = agenda.locator(`li.slot[data-slot="${slots[0].id}"]`);
    await expect.poll(() => booked.locator(".badge").textContent(), { timeout: 30_000 }).toBe("Booked");
    expect(await booked.getByRole("button").count()).toBe(0);
    await agenda.scrollIntoViewIfNeeded();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-agenda");
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await screenshot(page, "console-agenda-tablet");
    await page.setViewportSize({ width: 1024, height: 768 });

    // Cancelled in the console, after being asked once more: the victim is told, and the slot is free again.
    await item.getByRole("button", { name: "Cancel", exact: true }).click();
    await item.getByRole("group", { name: "Cancel this appointment? The victim will be told." }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await item.getByRole("button", { name: "Yes, cancel it" }).click();
    await victim.waitFor(() => visitStages(victim, appointmentsRoom, schedulingBot).includes("cancelled"), "the cancellation notice");
    await expect.poll(async () => (await caseAppointments()).find((a) => a.id === requested.id)?.status, { timeout: 30_000 }).toBe("cancelled");
    await expect.poll(() => booked.locator(".badge").textContent(), { timeout: 30_000 }).toBe("Free");

    // `/visit` typed in the composer asks the ops API (the bot asks the victim which kind) and sends nothing into the room.
    const cancelNotice = messages(victim, appointmentsRoom).filter((m) => m.sender === schedulingBot).at(-1)!.event.getId();
    await openView(page, "Conversations");
    await composer.fill("/visit");
    await composer.press("Enter");
    await page.locator(".visit-notice[role=status]", { hasText: "The scheduling bot is inviting the victim" }).waitFor({ timeout: 30_000 });
    expect(await composer.inputValue()).toBe("");
    await expect.poll(async () => (await caseAppointments()).filter((a) => a.status === "requested").map((a) => a.kind), { timeout: 30_000 }).toEqual([null]);
    const kindPrompt = await nextPrompt(victim, appointmentsRoom, schedulingBot, cancelNotice);
    expect(kindPrompt.options.length).toBeGreaterThanOrEqual(4);
    await composer.fill("Thank you for today.");
    await composer.press("Enter");
    await victim.waitForMessage(roomId, "Thank you for today.");
    expect(victim.bodies(roomId).filter((b) => b.startsWith("/visit"))).toEqual([]);

    // The victim wants statement preparation but none of the times: the agenda asks the companion for more slots.
    const secondTimes = await tap(victim, appointmentsRoom, schedulingBot, cancelNotice, (p) => p.options.find((o) => o.id === "statement_prep"));
    const noneFit = await tap(victim, appointmentsRoom, schedulingBot, secondTimes.eventId, (p) => p.options.at(-1));
    expect(noneFit.options).toHaveLength(2); // only the 90-minute slot is long enough, plus "I need another time"
    const [second] = (await caseAppointments()).filter((a) => a.status === "requested");
    await openView(page, "Agenda");
    const waiting = agenda.locator(`li.appointment[data-appointment="${second.id}"]`);
    await expect.poll(() => waiting.getAttribute("class"), { timeout: 30_000 }).toContain("needs-times");
    expect(await waiting.textContent()).toContain("Needs a 90-minute slot: the victim was told you will add times");
    expect(await waiting.textContent()).toContain("Preparing a complaint or statement");
    // The companion is not in the appointments room: the agenda tells them what the victim did.
    await expect.poll(() => agenda.locator(".agenda-news").textContent(), { timeout: 30_000 }).toContain(`Case ${second.case_id}: the victim waits for times you add`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-agenda-needs-times");

    // A new slot at 18:00 is offered to the victim at once; they take it, and the highlight goes.
    await addSlot("18:00", "120");
    const newTimes = await nextPrompt(victim, appointmentsRoom, schedulingBot, noneFit.eventId);
    const evening = newTimes.options.find((o) => /(^|\D)(6|18):00/.test(o.label)); // "오후 6:00" or "18:00"
    expect(evening).toBeDefined();
    await env.stack.say(victim, appointmentsRoom, evening!.label, { prompt_id: newTimes.id, option_id: evening!.id });
    await tap(victim, appointmentsRoom, schedulingBot, newTimes.eventId, (p) => p.options.find((o) => o.id === "centre"));
    await expect.poll(() => waiting.locator(".status").textContent(), { timeout: 45_000 }).toBe("Confirmed");
    expect(await waiting.getAttribute("class")).not.toContain("needs-times");
    expect(await agenda.locator(".agenda-news p").first().textContent()).toBe(`Case ${second.case_id}: the victim chose a time`);
    expect(await waiting.getAttribute("data-starts-at")).toBe(String(seoulInstant(day, "18:00")));
    expect(await waiting.locator(".when").textContent()).toMatch(/18:00\s?–\s?19:30$/); // the kind's 90 minutes, not the 2-hour slot

    // "Change time": the victim is offered the times again, with "Keep the current time".
    const beforeChange = messages(victim, appointmentsRoom).filter((m) => m.sender === schedulingBot).at(-1)!.event.getId();
    await waiting.getByRole("button", { name: "Change time" }).click();
    await waiting.getByText("The victim has been offered new times.").waitFor({ timeout: 30_000 });
    const offeredAgain = await nextPrompt(victim, appointmentsRoom, schedulingBot, beforeChange);
    expect(offeredAgain.options.length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it("says a police interview needs a 120-minute slot where only 90-minute ones are free, in the agenda and to the victim alike, and publishes 120 minutes by default (issue 19)", async () => {
    if (hana) await env.stack.setShift(hana.account, false);
    const yuri = await env.stack.staff("yuri", { languages: ["en", "ko"], onShift: false });
    // A browser profile of its own (the first test's keeps Hana signed in), on the same New York clock.
    const page = await (await env.tablet({ timezoneId: "America/New_York" })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInToConsole(page, env.stack.hs.url, "yuri");
    // Two free 90-minute slots: too short for a police interview (120 minutes).
    const day = seoulDate(2);
    for (const start of ["10:00", "14:00"]) {
      const added = await env.stack.ops(yuri.account, "POST", "/me/availability", { starts_at: seoulInstant(day, start), ends_at: seoulInstant(day, start) + 90 * 60_000 });
      expect(added.status).toBe(200);
    }
    const { victim, caseId } = await acceptNewCase(page, env.stack, yuri.account);
    const requested = await env.stack.ops(yuri.account, "POST", `/cases/${caseId}/appointments`, { kind: "police_interview" });
    expect(requested.status).toBe(200);
    const appointmentId = requested.body.appointment.id as string;

    // The victim hears that no times are free yet and that their counsellor will add some...
    const schedulingBot = (await env.stack.hs.request("GET", "/_onsafe/v1/public/config")).body.scheduling_bot as string;
    const appointmentsRoom = await waitForInvite(victim, schedulingBot);
    await victim.client.joinRoom(appointmentsRoom);
    const told = await waitForText(victim, appointmentsRoom, schedulingBot, /No times are free yet|아직 비어 있는 시간이 없어요/);
    expect(["No times are free yet. Your counsellor will add some soon.", "아직 비어 있는 시간이 없어요. 상담사가 곧 시간을 추가할 거예요."]).toContain(told.body);

    // ...and the agenda says the same from the companion's side: what length is needed, and why the free ones do not do.
    await openView(page, "Agenda");
    const agenda = page.locator("section.agenda");
    const item = agenda.locator(`li.appointment[data-appointment="${appointmentId}"]`);
    await expect.poll(() => item.locator(".needs-times-note").textContent(), { timeout: 45_000 })
      .toBe("Needs a 120-minute slot: the victim was told you will add times");
    await expect.poll(() => agenda.locator(".agenda-news").textContent(), { timeout: 30_000 }).toContain(`Case ${caseId}: the victim waits for times you add`);
    const tooShort = agenda.locator("li.slot .too-short");
    await expect.poll(() => tooShort.allTextContents(), { timeout: 30_000 })
      .toEqual(["Too short for the police interview waiting (needs 120 min)", "Too short for the police interview waiting (needs 120 min)"]);
    // Publishing a slot: the length needed is shown and chosen to start with.
    expect(await agenda.getByLabel("Length").inputValue()).toBe("120");
    expect(await agenda.locator(".slot-needed").textContent()).toBe("Waiting for times: police interview (case " + caseId + "), 120 minutes.");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-agenda-needs-length");

    // A slot of the default length is offered to the victim at once, and the note goes.
    const before = messages(victim, appointmentsRoom).filter((m) => m.sender === schedulingBot).at(-1)!.event.getId();
    await agenda.getByLabel("Date").fill(seoulDate(3));
    await agenda.getByLabel("Start time").fill("10:00");
    await agenda.getByRole("button", { name: "Add a slot" }).click();
    const times = await nextPrompt(victim, appointmentsRoom, schedulingBot, before);
    expect(times.options).toHaveLength(2); // the new 120-minute slot, and "I need another time"
    await expect.poll(() => item.locator(".needs-times-note").count(), { timeout: 45_000 }).toBe(0);
    expect(await agenda.getByLabel("Length").inputValue()).toBe("60");

    // The victim takes it and types where: the console reads the address in the encrypted appointments room
    // (it joined it: no conversation of its own), never from the ops API, which does not have it.
    const ADDRESS = "Seocho Police Station, 2nd floor";
    const slotOption = times.options.find((o) => o.id !== "none")!;
    await env.stack.say(victim, appointmentsRoom, slotOption.label, { prompt_id: times.id, option_id: slotOption.id });
    const addressPrompt = await nextPrompt(victim, appointmentsRoom, schedulingBot, times.eventId);
    await env.stack.say(victim, appointmentsRoom, ADDRESS);
    await victim.waitFor(() => visitStages(victim, appointmentsRoom, schedulingBot).includes("confirmed"), "the confirmation");
    expect(addressPrompt.options.map((o) => o.id)).toContain("later");
    const confirmedAt = performance.now();
    await expect.poll(() => item.locator(".address").textContent(), { timeout: 45_000 }).toBe(`Address the victim typed: ${ADDRESS}`);
    console.log(`[console] the victim's confirmation seen -> the address in the agenda: ${(performance.now() - confirmedAt).toFixed(0)} ms`);
    expect(JSON.stringify((await env.stack.ops(yuri.account, "GET", "/me/appointments")).body)).not.toContain("Seocho");
    await openView(page, "Conversations");
    expect(await page.locator(".conversation-tab").count()).toBe(1);
    await openView(page, "Agenda");
    await screenshot(page, "console-agenda-address");
    expect(errors).toEqual([]);
  }, 150_000);
});

