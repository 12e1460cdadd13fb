/**
 * Issue 22, returning victims, in Chromium against the real service: the victim
 * app at 360 px. A counsellor closes the chat (as the console does); the closed
 * card offers "Start a new conversation", which asks once, then opens a new room
 * with the triage bot as the first start does: the app's own first question at
 * once, then the bot's question whether the new counsellor may know about the
 * earlier chat. A room the bots have left (the case erased) offers the same.
 * The counsellor who takes the next case sees in the console that the victim came back.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { eventually, pendingInvites } from "../../bots/test/conversation.ts";
import { axeViolations, screenshot } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();
const caseOf = (roomId: string) => env.stack.bots.queue.cases.getByRoom(roomId);

/** The victim's chat room as the app keeps it (its kept session). */
const shownRoom = (page: Page) => page.evaluate(() => {
  const kept = Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? "").find((v) => v.includes("roomId"));
  return kept ? (JSON.parse(kept) as { roomId: string | null }).roomId : null;
});

describe("a returning victim", () => {
  it("starts a new conversation from the closed chat, and from a room the bots left, at 360 px", async () => {
    const mina = await env.stack.staff("mina", { languages: ["en"], capacity: 5 });
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await victim.start();
    await victim.send("can i just talk to a real person please");
    const first = await eventually(async () => shownRoom(victim.page), (id) => id !== null, "the app's room", 30_000);
    await eventually(async () => pendingInvites(mina, env.stack.triageBot).map((r) => r.roomId), (rooms) => rooms.includes(first!), "the offer", 45_000);
    await mina.client.joinRoom(first!);
    await eventually(async () => caseOf(first!), (c) => c?.handedOffAt !== null, "the hand-off", 45_000);
    const firstCase = caseOf(first!)!.id;

    // Mina closes as the console does: her closing words, the close, the triage bot invited back, and she leaves.
    await mina.sendText(first!, "Take care of yourself. I'm closing this chat now.");
    expect((await env.stack.ops(mina.account, "POST", `/cases/${firstCase}/close`, { outcome: "supported" })).status).toBe(200);
    await mina.client.invite(first!, env.stack.triageBot);
    await mina.client.leave(first!);

    // The closed card: write here to talk again, or start a new conversation; quick exit and the lines stay on screen.
    const closed = victim.page.locator(".chat-closed");
    await closed.waitFor({ timeout: 45_000 });
    const startAgain = closed.getByRole("button", { name: "Start a new conversation" });
    await startAgain.waitFor();
    expect(await closed.textContent()).toContain("Write here any time to talk again");
    expect(env.stack.bots.triage.client.getRoom(first!)?.getMyMembership()).toBe("join");
    await expect.poll(() => victim.page.getByRole("button", { name: /Quick exit/ }).isVisible()).toBe(true);
    expect(await victim.horizontalOverflow()).toBe(0);
    expect(await axeViolations(victim.page)).toEqual([]);
    await screenshot(victim.page, "victim-closed-start-again");

    // It asks once: a fresh start, perhaps another counsellor. Cancel changes nothing.
    await startAgain.click();
    const dialog = victim.page.getByRole("dialog", { name: "Start a new conversation?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("a different counsellor may answer");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await shownRoom(victim.page)).toBe(first);
    await startAgain.click();
    await victim.page.getByRole("dialog", { name: "Start a new conversation?" }).getByRole("button", { name: "Start again" }).click();
    const confirmedAt = performance.now();

    // A new room: the app's own first question at once, then the bot asks whether the new counsellor may know.
    const second = await eventually(async () => shownRoom(victim.page), (id) => id !== null && id !== first, "a new room", 30_000);
    await victim.page.locator(".chat-closed").waitFor({ state: "detached", timeout: 30_000 });
    await victim.options().first().waitFor({ timeout: 30_000 });
    const firstQuestionMs = performance.now() - confirmedAt;
    const linkQuestion = victim.page.locator(".messages li").filter({ hasText: "May your new counsellor know that you talked with us before?" });
    await linkQuestion.waitFor({ timeout: 45_000 });
    const linkQuestionMs = performance.now() - confirmedAt;
    console.log(`[start again] confirm -> the app's first question: ${firstQuestionMs.toFixed(0)} ms; -> the bot's link question: ${linkQuestionMs.toFixed(0)} ms`);
    expect(await victim.page.getByText("Take care of yourself.").count()).toBe(0);
    expect(await victim.horizontalOverflow()).toBe(0);
    await screenshot(victim.page, "victim-new-conversation-asked");
    await linkQuestion.getByRole("button", { name: "Yes, they may know" }).click();
    await victim.page.locator(".messages li").filter({ hasText: "Your new counsellor will know you talked with us before" }).waitFor({ timeout: 45_000 });
    await eventually(async () => caseOf(second!), (c) => c?.previousCaseId === firstCase, "the new case linked to the earlier one", 30_000);
    // The old room is left: the bot, which stayed after the closing, leaves with the victim.
    await eventually(async () => env.stack.bots.triage.client.getRoom(first!)?.getMyMembership(), (m) => m !== "join" && m !== "invite", "the bot out of the old room", 45_000);
    await screenshot(victim.page, "victim-new-conversation-linked");

    // The bots leave the new room (as retention does once an erased case's bots go): the room offers a new start too.
    await env.stack.bots.triage.client.leave(second!);
    const ended = victim.page.locator(".chat-closed").filter({ hasText: "Nobody can answer in this chat any more" });
    await ended.waitFor({ timeout: 45_000 });
    expect(await victim.horizontalOverflow()).toBe(0);
    expect(await axeViolations(victim.page)).toEqual([]);
    await screenshot(victim.page, "victim-room-left-start-again");
    await ended.getByRole("button", { name: "Start a new conversation" }).click();
    await victim.page.getByRole("dialog", { name: "Start a new conversation?" }).getByRole("button", { name: "Start again" }).click();
    const third = await eventually(async () => shownRoom(victim.page), (id) => id !== null && id !== second, "a third room", 30_000);
    await eventually(async () => caseOf(third!), (c) => c !== undefined, "the third case", 30_000);

    // Yes again, then straight to a person: the counsellor's console says the victim came back, and when and with whom it ended.
    await env.stack.setShift(mina.account, false);
    await env.stack.staff("jun", { languages: ["en"], capacity: 3, onShift: false });
    const console_ = await (await env.tablet({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInToConsole(console_, env.stack.hs.url, "jun");
    await console_.getByRole("switch", { name: "On shift" }).check();
    const asked = victim.page.locator(".messages li").filter({ hasText: "May your new counsellor know that you talked with us before?" });
    await asked.getByRole("button", { name: "Yes, they may know" }).click({ timeout: 45_000 });
    const category = victim.page.locator(".messages li").filter({ hasText: "Your new counsellor will know you talked with us before" });
    await category.getByRole("button", { name: "I just want to talk to a counsellor" }).click({ timeout: 45_000 });
    const offer = console_.locator("section[aria-labelledby=offers-title] li.case");
    await offer.getByRole("button", { name: "Accept" }).click({ timeout: 45_000 });
    const cameBack = console_.locator(".conversation-header .came-back");
    await cameBack.waitFor({ timeout: 45_000 });
    expect(await cameBack.textContent()).toMatch(/^Came back: earlier chat closed \d{1,2} \w{3} \d{4} with (mina|@mina:\S+) \(Supported\)$/);
    expect(await axeViolations(console_)).toEqual([]);
    await screenshot(console_, "console-came-back");
    expect(victim.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
  }, 300_000);
});
