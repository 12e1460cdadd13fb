/** The console in a browser test: signing a staff member in, collecting page errors, taking a new case. */
import type { Page } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import type { Stack } from "../../bots/test/stack.ts";
import type { Account } from "../../chat-server/test/harness.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";

/** The test harness's default staff password (chat-server/test/harness.ts createAccount). */
export const STAFF_PASSWORD = "correct horse battery";

/** Page errors and console errors (but not failed resource loads, which tests provoke on purpose). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
  return errors;
}

/**
 * Opens `/console` on `page` and signs `name` in; resolves once their dashboard shows.
 * The recovery key screen of a first sign-in is answered "Later" (console-signin.test.ts sets one).
 */
export async function signInToConsole(page: Page, baseUrl: string, name: string, password = STAFF_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByRole("textbox", { name: "Username" }).fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await skipRecoveryKey(page);
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ timeout: 45_000 });
}

/** Opens one of the workspace's views from its bar (docs/CONSOLE.md "Workspace"). */
export async function openView(page: Page, view: "Conversations" | "Agenda" | "Supervisor" | "Partners"): Promise<void> {
  await page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: view, exact: false }).first().click();
}

/** After "Sign in": answers the recovery key screen, if one comes, with "Later" (나중에 in Korean). */
export async function skipRecoveryKey(page: Page): Promise<void> {
  const later = page.locator(".recovery-later button");
  const workspace = page.locator("main.console, main.workspace");
  await later.or(workspace).first().waitFor({ timeout: 60_000 });
  if (await later.isVisible()) await later.click();
}

/**
 * A new victim (Node client) asks for a person at once; the signed-in
 * companion on `page` goes on shift and accepts the offer in the console.
 * Returns the victim, the room and the case id.
 */
export async function acceptNewCase(page: Page, stack: Stack, companion: Account): Promise<{ victim: SdkClient; roomId: string; caseId: string }> {
  await page.getByRole("switch", { name: "On shift" }).check();
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  const first = await nextPrompt(victim, roomId, stack.triageBot);
  await stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
  const offered = page.locator("section[aria-labelledby=offers-title] li.case");
  // Bounds on conditions (a bot round trip, then the room's keys): generous, for a busy machine.
  await offered.first().waitFor({ timeout: 45_000 });
  await offered.getByRole("button", { name: "Accept" }).click();
  await page.locator(".summary.pinned").waitFor({ timeout: 45_000 });
  const mine = (await stack.ops(companion, "GET", "/me/cases")).body.cases as { id: string; room_id: string }[];
  return { victim, roomId, caseId: mine.find((c) => c.room_id === roomId)!.id };
}
