/**
 * How fast the victim app starts, in Chromium against the real homeserver and
 * bots service on loopback:
 *  - landing: navigation → the landing page's heading visible, and the
 *    JavaScript it needed (gzip, from the built files);
 *  - start: "Start chatting" pressed → the first triage question's buttons
 *    in the page, timed inside the page (the click event's time to a
 *    MutationObserver seeing the buttons), split by the app's own performance
 *    marks (registered, client started, device keys on the server, room
 *    created); Playwright's own view of the same (its click and polling add
 *    a few hundred ms) is reported beside it;
 *  - baseline, same run: a Node matrix-js-sdk client doing the same steps
 *    (register, start with Rust crypto, createRoom inviting the bot) → first
 *    question decrypted.
 * Each run uses a fresh browser context; the victim "reads" for 3 s first, so
 * the chat code and crypto wasm have loaded, as they would for a person.
 *   node --import tsx bench/victim-start.ts [runs]
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { nextPrompt } from "../bots/test/conversation.ts";
import { Stack } from "../bots/test/stack.ts";
import { launchChromium, PHONE } from "../test-support/browser.ts";

const RUNS = Number(process.argv[2] ?? 10);
const DIST = new URL("../chat-client/dist/assets/", import.meta.url).pathname;
const MARKS = ["onsafe:registered", "onsafe:client-started", "onsafe:keys-uploaded", "onsafe:room-created"];

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0);
  return `${at(50)} / ${at(95)} / ${sorted.at(-1)!.toFixed(0)}`;
};

const stack = await Stack.start();
const browser = await launchChromium();
const figures: Record<string, number[]> = { landing: [], start: [], playwright: [], baseline: [], ...Object.fromEntries(MARKS.map((m) => [m, []])) };
let landingGzip = 0;
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ ...PHONE, locale: "en-US" });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(basename(new URL(r.url()).pathname)); });
    const navigated = performance.now();
    await page.goto(`${stack.hs.url}/`, { waitUntil: "commit" });
    await page.getByRole("heading", { level: 1 }).waitFor();
    figures.landing!.push(performance.now() - navigated);
    if (i === 0) {
      const initial = [...new Set(scripts)];
      landingGzip = initial.reduce((sum, file) => sum + (existsSync(`${DIST}${file}.gz`) ? readFileSync(`${DIST}${file}.gz`).length : 0), 0);
      console.log(`landing scripts: ${initial.join(", ")}`);
    }
    await page.waitForTimeout(3000);
    await page.evaluate(() => {
      const w = window as unknown as { clickedAt?: number; shownAt?: number };
      document.addEventListener("click", (e) => { w.clickedAt ??= e.timeStamp; }, true);
      new MutationObserver(() => { if (!w.shownAt && document.querySelector(".options button")) w.shownAt = performance.now(); })
        .observe(document.body, { childList: true, subtree: true });
    });
    const pressed = performance.now();
    await page.getByRole("button", { name: "Start chatting" }).click();
    await page.locator(".options[role=group] button").first().waitFor({ timeout: 20_000 });
    figures.playwright!.push(performance.now() - pressed);
    figures.start!.push(await page.evaluate(() => { const w = window as unknown as { clickedAt: number; shownAt: number }; return w.shownAt - w.clickedAt; }));
    const marks = await page.evaluate((names) => {
      const start = performance.getEntriesByName("onsafe:start")[0]!.startTime;
      return names.map((n) => performance.getEntriesByName(n)[0]!.startTime - start);
    }, MARKS);
    MARKS.forEach((m, j) => figures[m]!.push(marks[j]!));
    await context.close();

    const t = performance.now();
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    await nextPrompt(victim, roomId, stack.triageBot);
    figures.baseline!.push(performance.now() - t);
    victim.stop();
  }
} finally {
  await browser.close();
  await stack.close();
}

console.log(`\nvictim app start, ${RUNS} runs, p50 / p95 / max in ms`);
console.log(`| landing JS (gzip) | ${(landingGzip / 1024).toFixed(1)} KB |`);
console.log(`| navigation → landing heading visible | ${summary(figures.landing!)} |`);
console.log(`| "Start chatting" clicked → first question's buttons in the page | ${summary(figures.start!)} |`);
for (const m of MARKS) console.log(`|   of which: start → ${m.slice(7)} | ${summary(figures[m]!)} |`);
console.log(`| the same, as Playwright sees it (its click and polling included) | ${summary(figures.playwright!)} |`);
console.log(`| baseline: Node SDK client register → first question decrypted | ${summary(figures.baseline!)} |`);
