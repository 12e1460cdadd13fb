/**
 * Issue 21, in Chromium at 360×640 against the real service: when the server
 * refuses for too many tries from this address (429, others behind a shared
 * address counting too), the victim app says so and how long to wait, in the
 * victim's language, with quick exit and the crisis lines still there.
 * - A recovery code: it used to say "We couldn't open a chat with this code.
 *   Please check it.", which sends a frightened person back to a code that
 *   was never the problem.
 * - "Start chatting" past the address's sign-ups an hour: it used to say "try
 *   again in a moment", for a wait of up to an hour.
 * And "delete this conversation" still works when others' wrong guesses from
 * the same address make the server ask for proof of work before it takes a
 * password (as it does for a login).
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { POW_REQUIRED_ERRCODE, proofOfWorkChallengeIn, PROOF_OF_WORK_STAGE, solveProofOfWork } from "@onsafe/schema/proof-of-work";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { VictimPage } from "./victim-page.ts";

/** Sign-ups an hour from one address, low here so this machine's address runs out of them. */
const SIGN_UPS_PER_HOUR = 3;
const env = useBrowserStack({ stack: { homeserver: { visitorRegistrationsPerWindow: SIGN_UPS_PER_HOUR } } });

/** A recovery code of the right shape for an account that does not exist: every try with it is a wrong password. */
const NOBODYS_CODE = "abcd-efgh-ijkm-npqr-stuv-wxyz-2345-6789-abcd";

/**
 * Wrong passwords from this machine's address (the browser's too), solving the proof of work when it is
 * asked for and waiting out each pause, until the server's pause before the next guess is at least `atLeastMs`.
 */
async function guessWrongUntilPaused(atLeastMs: number): Promise<number> {
  const login = async (extra: Record<string, unknown> = {}) => {
    const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "v-abcdefghijkm" }, password: "wrong", ...extra }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  for (let guess = 0; guess < 20; guess++) {
    let answer = await login();
    if (answer.status === 401 && answer.body.errcode === POW_REQUIRED_ERRCODE) {
      answer = await login({ [PROOF_OF_WORK_STAGE]: await solveProofOfWork(proofOfWorkChallengeIn(answer.body)!) });
    }
    if (answer.status === 429) {
      const wait = answer.body.retry_after_ms as number;
      if (wait >= atLeastMs) return wait;
      await new Promise((resolve) => setTimeout(resolve, wait + 50));
    } else {
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
    }
  }
  throw new Error("the server never asked this address to pause");
}

/** Waits for the page's alert, checks it says `text` with quick exit and the crisis lines still there, and keeps a screenshot. */
async function saysTooManyTries(page: Page, text: RegExp, shot: string) {
  const alert = page.getByRole("alert");
  await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/./);
  expect(await alert.textContent()).toMatch(text);
  expect(await page.getByRole("button", { name: /^Quick exit/ }).isVisible()).toBe(true);
  expect(await page.getByRole("link", { name: /^1366/ }).first().isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, shot);
  return alert;
}

it("deletes the conversation when others' wrong guesses from this address make the server ask for proof of work first", async () => {
  const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
  await victim.start();
  // Three wrong passwords from this address (the browser's too), then their pause waited out:
  // the next password the server takes from here must come with a solved challenge.
  for (let guess = 0; guess < env.stack.hs.config.loginFailuresBeforeBackoff; guess++) {
    const wrong = await fetch(`${env.stack.hs.url}/_matrix/client/v3/login`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "v-abcdefghijkm" }, password: "wrong" }),
    });
    expect(wrong.status).toBe(403);
  }
  await new Promise((resolve) => setTimeout(resolve, env.stack.hs.config.loginBackoffMs + 500));
  const asked: number[] = [];
  victim.page.on("response", (response) => { if (response.url().endsWith("/account/deactivate")) asked.push(response.status()); });
  await victim.page.getByText("Menu", { exact: true }).click();
  await victim.page.getByRole("button", { name: "Delete this conversation" }).click();
  await victim.page.getByRole("dialog", { name: "Delete this conversation?" }).getByRole("button", { name: "Delete" }).click();
  try {
    await victim.page.getByRole("heading", { name: "Your conversation is deleted" }).waitFor({ timeout: 60_000 });
  } catch (error) {
    throw new Error(`not deleted; deactivate answered ${asked.join(", ")}; ${await victim.describe()}`, { cause: error });
  }
  // Asked for the proof (401), then done with it (200).
  expect(asked.slice(-2)).toEqual([401, 200]);
});

it("says 'too many tries, wait about N minutes' on a 429, in both languages, with quick exit and the crisis lines", async () => {
  const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
  const page = victim.page;
  await page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
  await page.getByRole("textbox", { name: "Recovery code" }).fill(NOBODYS_CODE);

  // Others behind the same address (a shelter's Wi-Fi, a phone network) have guessed wrong until the server pauses it.
  await guessWrongUntilPaused(8_000);
  await page.getByRole("button", { name: "Open my chat" }).click();
  const alert = await saysTooManyTries(page, /^Too many tries from this connection\. Please wait about 1 min, then try again\. If it is urgent, call one of the numbers below\.$/, "restore-too-many-en");

  await page.getByRole("button", { name: "한국어" }).click();
  expect(await alert.textContent()).toBe("이 연결에서 시도가 너무 많았어요. 약 1분 기다렸다가 다시 해 주세요. 급하면 아래 번호로 전화하세요.");
  expect(await page.getByRole("button", { name: /^빠른 나가기/ }).isVisible()).toBe(true);
  await screenshot(page, "restore-too-many-ko");
});

it("says 'too many tries, wait about N minutes' when Start is refused for too many sign-ups from this address", async () => {
  // Others behind the same address have started chats until the hour's sign-ups are used up (a test above used one).
  for (let i = 0; i < SIGN_UPS_PER_HOUR; i++) await env.stack.hs.registerVisitor().catch(() => undefined);
  const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
  const page = victim.page;
  await page.getByRole("button", { name: "Start chatting" }).click();
  // The hour's window began with this file's first sign-up, a minute or two ago: a wait of 58-60 minutes.
  const alert = await saysTooManyTries(page, /^Too many tries from this connection\. Please wait about (58|59|60) min, then try again\. If it is urgent, call one of the numbers below\.$/, "start-too-many-en");

  await page.getByRole("button", { name: "한국어" }).click();
  expect(await alert.textContent()).toMatch(/^이 연결에서 시도가 너무 많았어요\. 약 (58|59|60)분 기다렸다가 다시 해 주세요\. 급하면 아래 번호로 전화하세요\.$/);
  await screenshot(page, "start-too-many-ko");
});

it("the console's sign-in says how long to wait too, not always 'in a minute'", async () => {
  await guessWrongUntilPaused(8_000);
  const page = await (await env.tablet()).newPage();
  await page.goto(`${env.stack.hs.url}/console`);
  await page.getByRole("textbox", { name: "Username" }).fill("companion-nobody");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/./);
  // The pause asked is 8-60 s: about 1 min, from the server's retry_after_ms.
  expect(await alert.textContent()).toBe("Too many attempts. Please try again in about 1 min.");
  await screenshot(page, "console-signin-too-many");
});
