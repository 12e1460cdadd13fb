/**
 * Issue 21, in Chromium at 360×640 against the real service: the homeserver
 * asks for a solved proof-of-work challenge before it makes a visitor account,
 * and before a password guess from an address that already guessed wrong a few
 * times (docs/PROOF-OF-WORK.md). The victim sees none of it: the app solves
 * (in a Web Worker) and sends again by itself.
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE } from "@onsafe/schema/proof-of-work";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();

/** Every answer of `path` the page gets, as status and errcode. */
function watchAnswers(page: Page, path: string): string[] {
  const seen: string[] = [];
  page.on("response", (response) => {
    if (!new URL(response.url()).pathname.endsWith(path)) return;
    void response.json().then(
      (body: { errcode?: string }) => seen.push(`${response.status()} ${body.errcode ?? ""}`.trim()),
      () => seen.push(String(response.status())),
    );
  });
  return seen;
}

it("signs up with a solved challenge, and once more with a fresh one when the first solution is refused", async () => {
  const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
  const page = victim.page;
  const answers = watchAnswers(page, "/register");
  // The first solution the app sends is spoilt on its way (as an expired or reused one would be refused).
  let spoilt = false;
  await page.route("**/_matrix/client/v3/register", async (route) => {
    const body = route.request().postDataJSON() as { auth?: { type: string; payload: string } };
    if (spoilt || body.auth?.type !== PROOF_OF_WORK_STAGE) return route.continue();
    spoilt = true;
    const payload = JSON.parse(atob(body.auth.payload)) as { number: number };
    const wrong = btoa(JSON.stringify({ ...payload, number: payload.number + 1 }));
    await route.continue({ postData: JSON.stringify({ ...body, auth: { ...body.auth, payload: wrong } }) });
  });

  await victim.start();
  // The account exists and the conversation goes on: the triage bot's own next question comes.
  await victim.answerTriageByTapping(async () => (await page.locator(".messages .message.from-me").count()) >= 2);
  expect(answers).toEqual(["401", "401 M_FORBIDDEN", "200"]);
  expect(victim.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
});

it("restores with the right code after wrong guesses from the same address: the proof of work asked for is solved unseen", async () => {
  const first = await VictimPage.open(await env.phone(), env.stack.hs.url);
  await first.start();
  const code = await first.recoveryCode();

  // Three wrong passwords from this machine's address (the browser's too), then the pause after them.
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "v-abcdefghijkm" }, password: "wrong" }),
    });
    expect(response.status).toBe(403);
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  const second = await VictimPage.open(await env.phone(), env.stack.hs.url);
  const answers = watchAnswers(second.page, "/login");
  await second.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
  await second.page.getByRole("textbox", { name: "Recovery code" }).fill(code);
  await second.page.getByRole("button", { name: "Open my chat" }).click();
  try {
    await second.page.getByRole("textbox", { name: /Message/ }).waitFor({ timeout: 45_000 });
  } catch (error) {
    throw new Error(`the chat did not open; /login answered ${answers.join(", ")}; ${await second.describe()}`, { cause: error });
  }
  expect(answers).toEqual([`401 ${POW_REQUIRED_ERRCODE}`, "200"]);
});

it("signs a companion in to the console after wrong guesses from the same address, the proof of work solved unseen", async () => {
  await env.stack.staff("mina");
  // Wrong passwords from this address until the server asks a guess for a proof (waiting out any pause on the way).
  for (let guess = 0; ; guess++) {
    expect(guess).toBeLessThan(10);
    const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "mina" }, password: "wrong" }),
    });
    const body = (await response.json()) as { errcode?: string; retry_after_ms?: number };
    if (body.errcode === POW_REQUIRED_ERRCODE) break;
    if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, body.retry_after_ms! + 50));
    else expect(response.status).toBe(403);
  }

  const page = await (await env.tablet()).newPage();
  const answers = watchAnswers(page, "/login");
  await signInToConsole(page, env.stack.hs.url, "mina");
  expect(answers).toEqual([`401 ${POW_REQUIRED_ERRCODE}`, "200"]);
});
