/**
 * The supervisor view in the console: the figures (queue, waits, crisis cases,
 * each companion's load, handled per day as a chart, lapsed and declined offers)
 * follow a real waiting case, and a case assigned to one companion is reassigned
 * to another, picked from the list. Behind the figures, their cases: waiting, open
 * crisis, each companion's, with ids and times and never content (issue 19).
 * Companions see none of it, and the ops API refuses them the metrics. Real
 * homeserver, bots and Node clients; Chromium for the console.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { answerTriage, eventually, nextPrompt } from "../../bots/test/conversation.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";


const env = useBrowserStack();
/** The first test's staff, taken off shift by the later ones. */
let hana: SdkClient;
let mina: SdkClient;
let jun: SdkClient;

/**
 * What the reassignment did, read from the ops API: the case moved to `to` at once, or (transfers being
 * offers, docs/SHIFT.md) it waits for them to accept, which they then do.
 */
async function reassignedOrOffered(caseId: string, to: SdkClient): Promise<"moved" | "offered"> {
  const now = await env.stack.ops(hana.account, "GET", `/cases/${caseId}`);
  if (now.body.case.assigned_to === to.userId) return "moved";
  return "offered";
}

/** A fresh browser profile (its own kept sign-in) with `username` signed in at `/console`. */
async function signIn(username: string): Promise<{ page: Page; errors: string[] }> {
  const context = await env.tablet();
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, username);
  await page.getByRole("switch", { name: "On shift" }).waitFor({ timeout: 45_000 });
  return { page, errors };
}

/** Opens the supervisor's own view, where the console has views (issue 19); on the long page it is always shown. */
async function openSupervisorView(page: Page): Promise<void> {
  const views = page.getByRole("navigation", { name: "Views" });
  if (await views.count() > 0) await views.getByRole("button", { name: "Supervisor", exact: true }).click();
}

describe("the supervisor view", () => {
  it("shows the figures of a waiting case and reassigns an assigned case to another companion", async () => {
    // Nobody on shift, so a victim's case waits.
    hana = await env.stack.staff("hana", { kind: "supervisor", onShift: false });
    mina = await env.stack.staff("mina", { onShift: false, capacity: 3 });
    jun = await env.stack.staff("jun", { onShift: false });
    const { page, errors } = await signIn("hana");
    await openSupervisorView(page);

    const view = page.locator("section[aria-labelledby=supervisor-title]");
    await view.getByRole("heading", { name: "Supervisor overview" }).waitFor({ timeout: 45_000 });
    const figure = (name: string) => view.locator(`[data-figure="${name}"] dd`);
    await figure("queue").waitFor({ timeout: 45_000 });
    expect(await figure("queue").textContent()).toBe("0");
    expect(await figure("wait-median").textContent()).toBe("—");
    expect(await figure("wait-max").textContent()).toBe("—");
    const minaRow = view.locator(`tr[data-user="${mina.userId}"]`);
    expect(await minaRow.locator("th").textContent()).toBe("mina");
    const shiftAndLoad = async (row: typeof minaRow) => (await row.locator("td").allTextContents()).slice(0, 2);
    expect(await minaRow.locator("td").allTextContents()).toEqual(["Off shift", "0 / 3", "None"]);
    const chart = view.locator("svg[role=img]");
    expect(await chart.getAttribute("aria-label")).toMatch(/^Cases handled per day, last 7 days: /);
    expect(await chart.locator("title").textContent()).toBe(await chart.getAttribute("aria-label"));
    expect(await chart.locator("rect.bar").count()).toBe(7);
    expect(await chart.locator("text.bar-label").count()).toBe(7);

    // A victim skips triage: the case waits and the figures show it at the next refresh (every 10 s).
    const victim = await env.stack.visitor();
    const roomId = await env.stack.startConversation(victim);
    const first = await nextPrompt(victim, roomId, env.stack.triageBot);
    await env.stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
    await expect.poll(() => figure("queue").textContent(), { timeout: 45_000 }).toBe("1");
    expect(await figure("wait-median").textContent()).toMatch(/^\d+ min$/);
    expect(await figure("wait-max").textContent()).toMatch(/^\d+ min$/);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The case id comes from the queue; mina comes on shift and claims it, then jun comes on shift.
    const queue = await env.stack.ops(hana.account, "GET", "/queue");
    expect(queue.body.cases).toHaveLength(1);
    const caseId: string = queue.body.cases[0].id;
    await env.stack.setShift(mina.account, true);
    expect((await env.stack.ops(mina.account, "POST", `/cases/${caseId}/claim`, {})).status).toBe(200);
    await env.stack.setShift(jun.account, true);
    await expect.poll(() => shiftAndLoad(minaRow), { timeout: 45_000 }).toEqual(["On shift", "1 / 3"]);
    expect(await figure("queue").textContent()).toBe("0");
    expect(await figure("wait-median").textContent()).toBe("—");

    // The supervisor picks it from the list and moves it to jun; the bot, still in the room, invites jun.
    const form = view.locator("form.reassign");
    await form.getByRole("combobox", { name: "Case" }).selectOption(caseId);
    const to = form.getByRole("combobox", { name: "Reassign to" });
    expect(await to.locator("option").allTextContents()).toEqual(expect.arrayContaining(["mina", "jun"]));
    expect(await to.locator("option").allTextContents()).not.toContain("hana"); // off shift
    await to.selectOption({ label: "jun" });
    await form.getByRole("button", { name: "Reassign" }).click();
    await form.getByRole("status").filter({ hasText: /jun/ }).waitFor({ timeout: 45_000 });
    if (await reassignedOrOffered(caseId, jun) === "moved") {
      expect(await form.getByRole("status").textContent()).toBe("Reassigned to jun; they have been invited to the conversation.");
    } else {
      expect(await form.getByRole("status").textContent()).toBe(`${caseId} offered to jun: it moves to them once they accept.`);
      expect((await env.stack.ops(jun.account, "POST", `/cases/${caseId}/transfer/accept`, {})).status).toBe(200);
    }
    const reassigned = await env.stack.ops(hana.account, "GET", `/cases/${caseId}`);
    expect(reassigned.body.case.assigned_to).toBe(jun.userId);
    await jun.waitForRoom(roomId, "invite");
    const junRow = view.locator(`tr[data-user="${jun.userId}"]`);
    await expect.poll(async () => (await shiftAndLoad(junRow)).join(" · "), { timeout: 45_000 }).toMatch(/^On shift · 1 \/ \d+$/);
    expect(await shiftAndLoad(minaRow)).toEqual(["On shift", "0 / 3"]);

    // Reassigning it to jun again is refused, and the error says why.
    await form.getByRole("button", { name: "Reassign" }).click();
    await form.getByRole("alert").waitFor({ timeout: 30_000 });
    expect(await form.getByRole("alert").textContent()).toMatch(/^Could not reassign: .+ \(M_INVALID_PARAM\)$/);

    // Jun closes it: today's bar in "handled per day" counts it.
    expect((await env.stack.ops(jun.account, "POST", `/cases/${caseId}/close`, { outcome: "supported" })).status).toBe(200);
    await expect.poll(() => chart.locator("text.bar-value").last().textContent(), { timeout: 45_000 }).toBe("1");
    expect(await chart.getAttribute("aria-label")).toMatch(/: 1$/);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-supervisor");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("lists the cases behind the figures (waiting, open crisis, each companion's) without content, and reassigns one picked from the list (issue 19)", async () => {
    // Alone (vitest -t) or after the first test, whose companions go off shift.
    hana ??= await env.stack.staff("hana", { kind: "supervisor", onShift: false });
    if (mina) await env.stack.setShift(mina.account, false);
    if (jun) await env.stack.setShift(jun.account, false);
    const dami = await env.stack.staff("dami", { capacity: 1 });
    const hoon = await env.stack.staff("hoon", { onShift: false });
    const CRISIS_WORDS = "그 영상 때문에 죽고 싶어요";

    // A crisis: queued at once and offered to Dami, the only one on shift, who takes it.
    const first = await env.stack.visitor();
    const crisisRoom = await env.stack.startConversation(first);
    const language = await answerTriage(first, crisisRoom, env.stack.triageBot, [["language", "한국어"]]);
    await nextPrompt(first, crisisRoom, env.stack.triageBot, language);
    await env.stack.say(first, crisisRoom, CRISIS_WORDS);
    const queue = async () => (await env.stack.ops(hana.account, "GET", "/queue")).body.cases as { id: string; crisis: boolean }[];
    const crisisCase = (await eventually(queue, (q) => q.some((c) => c.crisis), "the crisis case queued", 20_000)).find((c) => c.crisis)!.id;
    expect((await env.stack.ops(dami.account, "POST", `/cases/${crisisCase}/claim`, {})).status).toBe(200);
    // Another victim skips triage: Dami is full, so it waits, offered to nobody.
    const second = await env.stack.visitor();
    const waitingRoom = await env.stack.startConversation(second);
    const skip = await nextPrompt(second, waitingRoom, env.stack.triageBot);
    await env.stack.say(second, waitingRoom, "I just want to talk to someone", { prompt_id: skip.id, option_id: "skip" });
    const waitingCase = (await eventually(queue, (q) => q.length === 1, "the second case waiting", 20_000))[0].id;

    const { page, errors } = await signIn("hana");
    await openSupervisorView(page);
    const view = page.locator("section[aria-labelledby=supervisor-title]");
    const crisisRow = view.locator(`table.crisis-cases tr[data-case="${crisisCase}"]`);
    await crisisRow.waitFor({ timeout: 45_000 });
    expect(await view.locator('[data-figure="crisis"] dd').textContent()).toBe("1");
    expect(await crisisRow.locator("th").textContent()).toBe(crisisCase);
    const cells = await crisisRow.locator("td").allTextContents();
    expect(cells.slice(0, 4)).toEqual(["Not yet known", "Crisis", "With dami", expect.stringMatching(/^with them \d+ min$/)]);
    expect(await view.locator("table.crisis-cases tbody tr").count()).toBe(1);

    const waitingRow = view.locator(`table.waiting-cases tr[data-case="${waitingCase}"]`);
    expect(await view.locator('[data-figure="queue"] dd').textContent()).toBe("1");
    const waitingCells = await waitingRow.locator("td").allTextContents();
    expect([waitingCells[0], waitingCells[1], waitingCells[3], waitingCells[4]]).toEqual(["Not yet known", "", expect.stringMatching(/^waiting \d+ min$/), "Waiting (not offered yet)"]);

    const damiRow = view.locator(`tr[data-user="${dami.userId}"]`);
    expect(await damiRow.locator(`li[data-case="${crisisCase}"] span`).textContent()).toMatch(new RegExp(`^Crisis · ${crisisCase} · with them \\d+ min$`));
    // What is not known is said, and nothing the victims wrote is there.
    expect(await view.locator(".cases-note").textContent()).toContain("Last message and reply times are not known here");
    expect(await view.textContent()).not.toContain(CRISIS_WORDS);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-supervisor-cases");
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await screenshot(page, "console-supervisor-cases-tablet");
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, "console-supervisor-cases-1280");

    // Reassign from the list: the row's button picks the case and moves the focus to "Reassign to".
    await env.stack.setShift(hoon.account, true);
    await crisisRow.getByRole("button", { name: `Reassign case ${crisisCase}` }).click();
    const form = view.locator("form.reassign");
    const to = form.getByRole("combobox", { name: "Reassign to" });
    await expect.poll(() => to.evaluate((el) => el === document.activeElement), { timeout: 5000 }).toBe(true);
    expect(await form.getByRole("combobox", { name: "Case" }).inputValue()).toBe(crisisCase);
    expect(await form.getByRole("combobox", { name: "Case" }).locator("option:checked").textContent()).toBe(`Crisis · ${crisisCase} · Not yet known · With dami`);
    await expect.poll(() => to.locator("option").allTextContents(), { timeout: 45_000 }).toContain("hoon");
    await to.selectOption({ label: "hoon" });
    await form.getByRole("button", { name: "Reassign" }).click();
    await form.getByRole("status").filter({ hasText: /hoon/ }).waitFor({ timeout: 45_000 });
    if (await reassignedOrOffered(crisisCase, hoon) === "offered") {
      await expect.poll(() => crisisRow.locator("td").nth(2).textContent(), { timeout: 45_000 }).toBe("With dami · transfer offered to hoon");
      expect((await env.stack.ops(hoon.account, "POST", `/cases/${crisisCase}/transfer/accept`, {})).status).toBe(200);
    }
    await expect.poll(() => crisisRow.locator("td").nth(2).textContent(), { timeout: 45_000 }).toBe("With hoon");
    await expect.poll(() => view.locator(`tr[data-user="${hoon.userId}"] li[data-case="${crisisCase}"]`).count(), { timeout: 45_000 }).toBe(1);
    await screenshot(page, "console-supervisor-reassigned");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("is not shown to a companion, whose token the metrics route refuses", async () => {
    await env.stack.staff("sora", { onShift: false });
    const { page, errors } = await signIn("sora");
    await page.locator("section[aria-labelledby=queue-title]").waitFor();
    expect(await page.locator("section[aria-labelledby=supervisor-title]").count()).toBe(0);
    const refused = await page.evaluate(async () => {
      const { accessToken } = JSON.parse(localStorage.getItem("onsafe.staff")!) as { accessToken: string };
      const response = await fetch("/_onsafe/v1/metrics", { headers: { authorization: `Bearer ${accessToken}` } });
      return { status: response.status, body: (await response.json()) as { errcode: string } };
    });
    expect(refused).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
