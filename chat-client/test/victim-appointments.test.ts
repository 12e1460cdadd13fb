/**
 * Issue 7 from the victim's side, in Chromium against the real homeserver and
 * bots: after triage a companion (a Node matrix-js-sdk client on shift)
 * publishes a free slot and asks for a visit through the ops API; the
 * scheduling bot's appointments room appears in the victim app as a second
 * tab, the victim taps a time and a place, types the address, and reads the
 * confirmation as a card whose "Add to calendar" downloads the decrypted
 * `.ics`. The companion's client reads the same confirmation. All of it in
 * "Don't keep anything on this device" mode, which must still leave nothing.
 * Then a kept session: the invite comes while the app is closed and is joined
 * when it opens again, the recovery code brings back both rooms, and deleting
 * the conversation leaves both (the bot cancels the appointment).
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { messages, pendingInvite } from "../../bots/test/conversation.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { NOTHING_STORED, storageInContext, storageInPage } from "./storage-probe.ts";
import { VictimPage } from "./victim-page.ts";

const HOUR = 3_600_000;
const ADDRESS = "Cafe Onda, 2nd floor, 12 Sejong-daero";

const env = useBrowserStack();
/** A phone that keeps downloads: "Add to calendar" saves a file. */
const newContext = () => env.phone({ acceptDownloads: true });
let schedulingBot: string;

beforeAll(async () => {
  schedulingBot = ((await env.stack.ops(undefined, "GET", "/public/config")).body as { scheduling_bot: string }).scheduling_bot;
});


/** Starts in the browser, taps through triage; the companion joins. Returns the chat's room id, its case id and the recovery code. */
async function triagedTo(victim: VictimPage, companion: SdkClient): Promise<{ roomId: string; caseId: string; code: string }> {
  const page = victim.page;
  await victim.start();
  await victim.answerTriageByTapping(async () => pendingInvite(companion, env.stack.triageBot) !== undefined);
  const roomId = pendingInvite(companion, env.stack.triageBot)!.roomId;
  await companion.client.joinRoom(roomId);
  await page.getByText("We've passed your answers to your counsellor").waitFor({ timeout: 45_000 });
  const code = await victim.recoveryCode();
  const cases = (await env.stack.ops(companion.account, "GET", "/me/cases")).body as { cases: CaseJson[] };
  return { roomId, caseId: cases.cases.find((c) => c.room_id === roomId)!.id, code };
}

/** The companion publishes one free slot and asks for a visit, as the console does. */
async function askForVisit(companion: SdkClient, caseId: string, startsAt: number, hours: number): Promise<void> {
  const availability = await env.stack.ops(companion.account, "POST", "/me/availability", { starts_at: startsAt, ends_at: startsAt + hours * HOUR });
  expect(availability.status, JSON.stringify(availability.body)).toBe(200);
  const requested = await env.stack.ops(companion.account, "POST", `/cases/${caseId}/appointments`, { kind: "counselling_visit" });
  expect(requested.status, JSON.stringify(requested.body)).toBe(200);
}

/** What the appointment card says, row by row ("What", "When", "Where", "Bring"). */
async function cardDetails(page: Page): Promise<Record<string, string>> {
  const rows = page.locator("#panel-appointments .visit-card .visit-details > div");
  return Object.fromEntries(await rows.evaluateAll((list) => list.map((row) => [row.querySelector("dt")!.textContent, row.querySelector("dd")!.textContent])));
}

/** Tomorrow at `hour`:00 in Seoul (UTC+9 all year), as ms since the epoch. */
function tomorrowInSeoul(hour: number): number {
  const seoul = new Date(Date.now() + 9 * HOUR);
  return Date.UTC(seoul.getUTCFullYear(), seoul.getUTCMonth(), seoul.getUTCDate() + 1, hour) - 9 * HOUR;
}

/** One property of an iCalendar text: lines unfolded, TEXT escapes undone. */
function icsValue(ics: string, name: string): string | undefined {
  const line = ics.replace(/\r\n[ \t]/g, "").split("\r\n").find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line?.slice(line.indexOf(":") + 1).replace(/\\([\\;,])/g, "$1").replace(/\\n/gi, "\n");
}

describe("appointments in the victim app", () => {
  it("shows the scheduling bot's room as a tab where the victim books a visit by tapping and adds it to a calendar", async () => {
    expect(schedulingBot).toMatch(/^@onsafe-scheduling:/);
    const mina = await env.stack.staff("mina", { languages: ["en", "ko"] });
    const context = await newContext();
    const victim = await VictimPage.open(context, env.stack.hs.url);
    const page = victim.page;
    await page.getByRole("checkbox", { name: "Don't keep anything on this device" }).check();
    const chat = await triagedTo(victim, mina);
    expect(await page.getByRole("tab").count()).toBe(0);

    // Tomorrow 14:00-16:00 in Seoul, the service's time zone.
    const startsAt = tomorrowInSeoul(14);
    const asked = performance.now();
    await askForVisit(mina, chat.caseId, startsAt, 2);

    // The tab appears with a dot; the chat stays on screen until the victim opens it.
    const appointmentsTab = page.getByRole("tab", { name: /^Appointments/ });
    await appointmentsTab.waitFor({ timeout: 30_000 });
    const panel = page.locator("#panel-appointments");
    await expect.poll(() => appointmentsTab.textContent(), { timeout: 20_000 }).toContain("new messages");
    console.log(`[victim app] visit asked for -> appointments tab with its dot: ${(performance.now() - asked).toFixed(0)} ms`);
    expect(await page.getByRole("tab", { name: "Chat" }).getAttribute("aria-selected")).toBe("true");
    expect(await panel.isVisible()).toBe(false);

    await appointmentsTab.click();
    expect(await appointmentsTab.getAttribute("aria-selected")).toBe("true");
    expect(await appointmentsTab.textContent()).not.toContain("new messages");
    const options = panel.locator(".options[role=group] button");
    await options.first().waitFor({ timeout: 45_000 });
    const times = (await options.allTextContents()).filter((label) => label !== "I need another time");
    expect(times).toHaveLength(1);
    expect(times[0]).toMatch(/14:00/);
    await options.filter({ hasText: times[0]! }).click();

    await options.filter({ hasText: /public place/ }).waitFor({ timeout: 45_000 });
    await options.filter({ hasText: /public place/ }).click();
    await options.filter({ hasText: "Decide later with my counsellor" }).waitFor({ timeout: 45_000 });
    const typed = performance.now();
    await victim.send(ADDRESS);

    const card = panel.locator(".visit-card");
    await card.waitFor({ timeout: 45_000 });
    console.log(`[victim app] address sent -> confirmation card: ${(performance.now() - typed).toFixed(0)} ms`);
    const day = new Date(startsAt).toLocaleDateString("en-GB", { timeZone: "Asia/Seoul", month: "long", day: "numeric" });
    const details = await cardDetails(page);
    expect(details.What).toBe("Meeting in person");
    expect(details.When).toContain(day);
    expect(details.When).toMatch(/, 14:00–15:00( GMT\+9)?$/);
    expect(details.Where).toBe(`A quiet public place ${ADDRESS}`);
    expect(details.Bring).toBe("You don't need to bring anything.");
    expect(await card.getByRole("heading").textContent()).toBe("Your appointment is set");
    await expect.poll(() => card.getByRole("button", { name: "Add to calendar" }).count(), { timeout: 45_000 }).toBe(1);
    expect(await card.locator(".options button").allTextContents()).toEqual(["Change the time", "Cancel"]);

    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Add to calendar" }).click()]);
    expect(download.suggestedFilename()).toBe("appointment.ics");
    const ics = await readFile((await download.path())!, "utf8");
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(icsValue(ics, "DTSTART")).toBe(new Date(startsAt).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, ""));
    expect(icsValue(ics, "LOCATION")).toBe(ADDRESS);

    // The companion, invited to the same room, reads the same confirmation.
    const appointmentsRoomId = pendingInvite(mina, schedulingBot)!.roomId;
    await mina.client.joinRoom(appointmentsRoomId);
    const confirmation = () => messages(mina, appointmentsRoomId).find((m) => m.sender === schedulingBot && m.content["org.onsafe.visit"]?.stage === "confirmed")?.content;
    await mina.waitFor(() => confirmation() !== undefined, "the confirmation in the appointments room");
    expect(confirmation()!["org.onsafe.visit"]).toMatchObject({ kind: "counselling_visit", starts_at: startsAt, place: "public_place", address: ADDRESS, time_zone: "Asia/Seoul" });

    // Phone first, readable, and the way out still there.
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    expect(await page.getByRole("button", { name: /^Quick exit/ }).isVisible()).toBe(true);
    await page.getByText("Call for help", { exact: true }).waitFor();
    await screenshot(page, "victim-appointments");

    // In Korean: the tabs and the card's words, the time with 오후.
    await victim.switchLanguage();
    expect(await page.getByRole("tab", { name: /^약속/ }).getAttribute("aria-selected")).toBe("true");
    const korean = await cardDetails(page);
    expect(korean["무엇"]).toBe("직접 만나서 상담");
    expect(korean["언제"]).toMatch(/오후 2:00\s*~\s*3:00( GMT\+9)?$/);
    expect(korean["어디"]).toBe(`조용한 공공장소 ${ADDRESS}`);
    expect(await card.getByRole("button", { name: "캘린더에 추가" }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await victim.switchLanguage();

    // Something new in the chat shows as a dot on its tab.
    await mina.sendText(chat.roomId, "I'll see you tomorrow.");
    const chatTab = page.getByRole("tab", { name: /^Chat/ });
    await expect.poll(() => chatTab.textContent(), { timeout: 45_000 }).toContain("new messages");
    await chatTab.click();
    await page.locator("#panel-chat .message.from-other", { hasText: "I'll see you tomorrow." }).waitFor({ timeout: 30_000 });

    expect(await storageInPage(page)).toEqual(NOTHING_STORED);
    expect(await storageInContext(context)).toEqual({ cookies: [], origins: [] });
    expect(victim.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
    expect(victim.foreignRequests()).toEqual([]);
    await env.stack.setShift(mina.account, false);
  });

  it("joins an invite that came while the app was closed, brings both rooms back with the recovery code, and deleting leaves both", async () => {
    const dana = await env.stack.staff("dana", { languages: ["en", "ko"] });
    const context = await newContext();
    const first = await VictimPage.open(context, env.stack.hs.url);
    const chat = await triagedTo(first, dana);
    const token = await first.page.evaluate(() => JSON.parse(localStorage.getItem("onsafe.session")!).accessToken as string);
    await first.page.close();

    // While the app is closed, the bot opens the appointments room and invites the victim.
    await askForVisit(dana, chat.caseId, tomorrowInSeoul(17), 1);
    await dana.waitFor(() => pendingInvite(dana, schedulingBot) !== undefined, "the appointments room's invite");
    const appointmentsRoomId = pendingInvite(dana, schedulingBot)!.roomId;
    await dana.client.joinRoom(appointmentsRoomId);
    const whoami = await fetch(`${env.stack.hs.url}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const victimId = ((await whoami.json()) as { user_id: string }).user_id;
    const membership = (roomId: string) => dana.client.getRoom(roomId)?.getMember(victimId)?.membership;
    await dana.waitFor(() => membership(appointmentsRoomId) === "invite", "the victim invited to the appointments room");

    // Opened again, the kept session joins it: the tab is there, the bot's question answerable.
    const again = await VictimPage.open(context, env.stack.hs.url);
    const tab = again.page.getByRole("tab", { name: /^Appointments/ });
    await tab.waitFor({ timeout: 30_000 });
    await tab.click();
    const options = again.page.locator("#panel-appointments .options[role=group] button");
    await options.filter({ hasText: /17:00/ }).click({ timeout: 45_000 });
    await options.filter({ hasText: "The support centre" }).click({ timeout: 45_000 });
    await again.page.locator("#panel-appointments .visit-card").waitFor({ timeout: 45_000 });
    expect((await cardDetails(again.page)).Where).toMatch(/^The support centre /);
    await dana.waitFor(() => membership(appointmentsRoomId) === "join", "the victim in the appointments room");

    // The kept device backs up the keys of both rooms; with the code, a fresh browser reads both.
    const backedUp = async () => {
      const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3/room_keys/version`, { headers: { authorization: `Bearer ${token}` } });
      return response.ok ? ((await response.json()) as { count: number }).count : 0;
    };
    await expect.poll(backedUp, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    const restored = await VictimPage.open(await newContext(), env.stack.hs.url);
    await restored.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
    await restored.page.getByRole("textbox", { name: "Recovery code" }).fill(chat.code);
    await restored.page.getByRole("button", { name: "Open my chat" }).click();
    await restored.page.locator("#panel-chat").getByText("We've passed your answers to your counsellor").waitFor({ timeout: 30_000 });
    await restored.page.getByRole("tab", { name: /^Appointments/ }).click({ timeout: 30_000 });
    await restored.page.locator("#panel-appointments .visit-card").waitFor({ timeout: 30_000 });
    expect((await cardDetails(restored.page)).What).toBe("Meeting in person");

    // "Delete this conversation" leaves both rooms; the bot then cancels the appointment.
    await restored.page.getByText("Menu", { exact: true }).click();
    await restored.page.getByRole("button", { name: "Delete this conversation" }).click();
    await restored.page.getByRole("dialog", { name: "Delete this conversation?" }).getByRole("button", { name: "Delete" }).click();
    await restored.page.getByRole("heading", { name: "Your conversation is deleted" }).waitFor({ timeout: 30_000 });
    await dana.waitFor(() => membership(appointmentsRoomId) === "leave" && membership(chat.roomId) === "leave", "the victim gone from both rooms");
    const status = async () => ((await env.stack.ops(dana.account, "GET", `/cases/${chat.caseId}/appointments`)).body as { appointments: { status: string }[] }).appointments.map((a) => a.status);
    await expect.poll(status, { timeout: 45_000 }).toEqual(["cancelled"]);
    for (const page of [again, restored]) expect(page.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
  }, 120_000);
});
