/**
 * Coming back and leaving for good, in Chromium against the real service:
 * a message typed while offline is sent once the network is back; the
 * recovery code opens the chat with its history (from room key backup) in a
 * fresh browser; "delete this conversation" erases the account and the device.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();

/** Starts a chat, taps through triage and lets the companion join. Returns the room and the recovery code. */
async function chatWithCompanion(victim: VictimPage, companion: SdkClient): Promise<{ roomId: string; code: string }> {
  const page = victim.page;
  await victim.start();
  const invite = () => companion.client.getRooms().find((room) => room.getMyMembership() === "invite");
  await victim.answerTriageByTapping(async () => invite() !== undefined);
  const roomId = invite()!.roomId;
  await companion.client.joinRoom(roomId);
  await page.getByText("We've passed your answers to your counsellor").waitFor({ timeout: 45_000 });
  return { roomId, code: await victim.recoveryCode() };
}

function keptToken(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem("onsafe.session")!).accessToken as string);
}

/**
 * Whether the victim's devices have put in the server-side backup the Megolm session of
 * each message with these bodies (as the companion received them). Counting all
 * sessions was not enough: the victim's own rotate when the bot leaves, and the count
 * could be reached before the companion's session was in.
 */
async function sessionsBackedUp(token: string, companion: SdkClient, roomId: string, bodies: string[]): Promise<boolean> {
  const call = async (path: string) => {
    const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3${path}`, { headers: { authorization: `Bearer ${token}` } });
    return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
  };
  const version = (await call("/room_keys/version"))?.version;
  if (typeof version !== "string") return false;
  const events = companion.client.getRoom(roomId)!.getLiveTimeline().getEvents();
  const sessions = new Set(bodies.map((body) => events.find((e) => e.getContent().body === body)?.getWireContent().session_id as string | undefined));
  for (const session of sessions) {
    if (!session || !(await call(`/room_keys/keys/${encodeURIComponent(roomId)}/${encodeURIComponent(session)}?version=${version}`))) return false;
  }
  return true;
}

describe("coming back and leaving", () => {
  it("sends what was typed offline, restores the chat with its history elsewhere, then deletes everything", async () => {
    const companion = await env.stack.staff("jun", { languages: ["en", "ko"] });
    const first = await VictimPage.open(await env.phone(), env.stack.hs.url);
    const { roomId, code } = await chatWithCompanion(first, companion);

    await companion.sendText(roomId, "I'm Jun. Take your time.");
    await first.page.getByText("I'm Jun. Take your time.").waitFor({ timeout: 45_000 });

    // A network drop: the message waits, the banner says so, and it goes out when the network is back.
    await first.page.context().setOffline(true);
    await first.send("Typed while the network was down.");
    await first.page.getByText(/Connection lost|Not sent|Sending…/).first().waitFor({ timeout: 45_000 });
    await screenshot(first.page, "chat-offline");
    await first.page.context().setOffline(false);
    await companion.waitForMessage(roomId, "Typed while the network was down.", 60_000);
    await first.page.locator(".message.from-me .status.failed").waitFor({ state: "detached", timeout: 45_000 });

    // The first device backs up the room keys: the bot's, the companion's and its own, of each message looked for below.
    const token = await keptToken(first.page);
    const restoredBodies = ["I'm Jun. Take your time.", "Typed while the network was down.", "We've passed your answers to your counsellor."];
    await expect.poll(() => sessionsBackedUp(token, companion, roomId, restoredBodies), { timeout: 30_000, interval: 500 }).toBe(true);

    // A fresh browser, with nothing but the recovery code.
    const second = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await second.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await screenshot(second.page, "restore");
    await second.page.getByRole("textbox", { name: "Recovery code" }).fill("not-a-code");
    await second.page.getByRole("button", { name: "Open my chat" }).click();
    await second.page.getByText("That doesn't look like a recovery code").waitFor();
    await second.page.getByRole("textbox", { name: "Recovery code" }).fill(code.toUpperCase());
    await second.page.getByRole("button", { name: "Open my chat" }).click();

    // Earlier messages from all three senders are decrypted from the backup.
    await second.page.getByText("I'm Jun. Take your time.").waitFor({ timeout: 30_000 });
    await second.page.getByText("Typed while the network was down.").waitFor({ timeout: 30_000 });
    await second.page.getByText("We've passed your answers to your counsellor").waitFor({ timeout: 30_000 });
    // Events that arrived before the backup was read are decrypted again once their keys come in.
    await expect.poll(() => second.page.locator(".message.unreadable").count(), { timeout: 45_000 }).toBe(0);
    expect(await second.page.getByTestId("recovery-code").count()).toBe(0);

    // And the conversation goes on, both ways, on the new device.
    await companion.sendText(roomId, "Welcome back.");
    await second.page.getByText("Welcome back.").waitFor({ timeout: 20_000 });
    await second.send("Thanks, I'm on my laptop now.");
    await companion.waitForMessage(roomId, "Thanks, I'm on my laptop now.");

    // Delete this conversation.
    await second.page.getByText("Menu", { exact: true }).click();
    await second.page.getByRole("button", { name: "Delete this conversation" }).click();
    const dialog = second.page.getByRole("dialog", { name: "Delete this conversation?" });
    await dialog.waitFor();
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await screenshot(second.page, "delete-dialog");
    // A slow answer to the deactivation, 2 s after the server has done it (so the page's sync may
    // find the session gone first): the delete must still finish and show its own page.
    await second.page.route("**/account/deactivate", async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await route.fulfill({ response });
    });
    await dialog.getByRole("button", { name: "Delete" }).click();
    const deleteSteps = () => second.page.evaluate(() => {
      const start = performance.getEntriesByName("onsafe:delete")[0]?.startTime ?? 0;
      return performance.getEntriesByType("mark").filter((m) => m.name.startsWith("onsafe:delete:")).map((m) => `${m.name.slice(14)} ${(m.startTime - start).toFixed(0)} ms`).join(", ");
    });
    try {
      await second.page.getByRole("heading", { name: "Your conversation is deleted" }).waitFor({ timeout: 30_000 });
    } catch (error) {
      throw new Error(`no "deleted" page; steps done: ${await deleteSteps()}; ${await second.describe()}`, { cause: error });
    }
    console.log(`[victim app] delete steps: ${await deleteSteps()}`);
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await screenshot(second.page, "deleted");

    const storage = await second.page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).map((db) => db.name),
    }));
    expect(storage).toEqual({ local: 0, session: 0, databases: [] });

    // The first browser, still open on the chat, finds its session ended: back to the start, its storage wiped too.
    await first.page.getByRole("heading", { name: "You don't have to face this alone" }).waitFor({ timeout: 40_000 });
    expect(await first.page.evaluate(async () => localStorage.length + (await indexedDB.databases()).length)).toBe(0);

    // The server erased the account: the victim has left the room, the code no longer opens it.
    await expect.poll(() => companion.client.getRoom(roomId)?.getMember(companion.userId === "" ? "" : victimId(companion, roomId))?.membership).toBe("leave");
    const third = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await third.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
    await third.page.getByRole("textbox", { name: "Recovery code" }).fill(code);
    await third.page.getByRole("button", { name: "Open my chat" }).click();
    await third.page.getByText("We couldn't open a chat with this code").waitFor({ timeout: 45_000 });
    // The account's backup, keys and secret storage are gone from the database, and so is every access token.
    const victim = victimId(companion, roomId);
    const rows = (table: string) => (env.stack.hs.hs.store.sqlite.prepare(`select count(*) n from ${table} where user_id = ?`).get(victim) as { n: number }).n;
    expect(["room_keys", "room_key_versions", "account_data", "device_keys", "access_tokens"].map(rows)).toEqual([0, 0, 0, 0, 0]);
    const whoami = await fetch(`${env.stack.hs.url}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(whoami.status).toBe(401);
    expect(((await whoami.json()) as { errcode: string }).errcode).toBe("M_UNKNOWN_TOKEN");
  });
});

function victimId(companion: SdkClient, roomId: string): string {
  const room = companion.client.getRoom(roomId)!;
  return room.currentState.getMembers().find((m) => m.userId.startsWith("@v-"))!.userId;
}
