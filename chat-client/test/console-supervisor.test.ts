/**
 * The supervisor view in the console: the figures (queue, waits, crisis cases,
 * each companion's load, handled per day as a chart, lapsed and declined offers)
 * follow a real waiting case, and a case assigned to one companion is reassigned
 * to another from its id. Companions see none of it, and the ops API refuses
 * them the metrics. Real homeserver, bots and Node clients; Chromium for the console.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";


const env = useBrowserStack();

/** A fresh browser profile (its own kept sign-in) with `username` signed in at `/console`. */
async function signIn(username: string): Promise<{ page: Page; errors: string[] }> {
  const context = await env.tablet();
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, username);
  await page.getByRole("switch", { name: "On shift" }).waitFor({ timeout: 15_000 });
  return { page, errors };
}

describe("the supervisor view", () => {
  it("shows the figures of a waiting case and reassigns an assigned case to another companion", async () => {
    // Nobody on shift, so a victim's case waits.
    const hana = await env.stack.staff("hana", { kind: "supervisor", onShift: false });
    const mina = await env.stack.staff("mina", { onShift: false, capacity: 3 });
    const jun = await env.stack.staff("jun", { onShift: false });
    const { page, errors } = await signIn("hana");

    const view = page.locator("section[aria-labelledby=supervisor-title]");
    await view.getByRole("heading", { name: "Supervisor overview" }).waitFor({ timeout: 15_000 });
    const figure = (name: string) => view.locator(`[data-figure="${name}"] dd`);
    await figure("queue").waitFor({ timeout: 15_000 });
    expect(await figure("queue").textContent()).toBe("0");
    expect(await figure("wait-median").textContent()).toBe("—");
    expect(await figure("wait-max").textContent()).toBe("—");
    const minaRow = view.locator(`tr[data-user="${mina.userId}"]`);
    expect(await minaRow.locator("th").textContent()).toBe("mina");
    expect(await minaRow.locator("td").allTextContents()).toEqual(["Off shift", "0 / 3"]);
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
    await expect.poll(() => figure("queue").textContent(), { timeout: 15_000 }).toBe("1");
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
    await expect.poll(() => minaRow.locator("td").allTextContents(), { timeout: 15_000 }).toEqual(["On shift", "1 / 3"]);
    expect(await figure("queue").textContent()).toBe("0");
    expect(await figure("wait-median").textContent()).toBe("—");

    // The supervisor moves it to jun from its id; the bot, still in the room, invites jun.
    const form = view.locator("form.reassign");
    await form.getByRole("textbox", { name: "Case id" }).fill(caseId);
    const to = form.getByRole("combobox", { name: "Reassign to" });
    expect(await to.locator("option").allTextContents()).toEqual(expect.arrayContaining(["mina", "jun"]));
    expect(await to.locator("option").allTextContents()).not.toContain("hana"); // off shift
    await to.selectOption({ label: "jun" });
    await form.getByRole("button", { name: "Reassign" }).click();
    await expect.poll(() => form.getByRole("status").textContent(), { timeout: 15_000 })
      .toBe("Reassigned to jun; they have been invited to the conversation.");
    const reassigned = await env.stack.ops(hana.account, "GET", `/cases/${caseId}`);
    expect(reassigned.body.case.assigned_to).toBe(jun.userId);
    await jun.waitForRoom(roomId, "invite");
    const junRow = view.locator(`tr[data-user="${jun.userId}"]`);
    await expect.poll(async () => (await junRow.locator("td").allTextContents()).join(" · "), { timeout: 15_000 }).toMatch(/^On shift · 1 \/ \d+$/);
    expect(await minaRow.locator("td").allTextContents()).toEqual(["On shift", "0 / 3"]);

    // Reassigning it to jun again is refused, and the error says why.
    await form.getByRole("button", { name: "Reassign" }).click();
    await form.getByRole("alert").waitFor({ timeout: 10_000 });
    expect(await form.getByRole("alert").textContent()).toMatch(/^Could not reassign: .+ \(M_INVALID_PARAM\)$/);

    // Jun closes it: today's bar in "handled per day" counts it.
    expect((await env.stack.ops(jun.account, "POST", `/cases/${caseId}/close`, { outcome: "supported" })).status).toBe(200);
    await expect.poll(() => chart.locator("text.bar-value").last().textContent(), { timeout: 15_000 }).toBe("1");
    expect(await chart.getAttribute("aria-label")).toMatch(/: 1$/);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-supervisor");
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
