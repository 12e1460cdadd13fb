/**
 * The victim app on the web (issue 9, item 5), in Chromium against the real
 * homeserver and bots service on loopback:
 *  - sizes: the landing page's JavaScript and all JavaScript of the build,
 *    gzip (the `.gz` files the build writes and the server sends), and the
 *    crypto wasm;
 *  - landing: navigation → the landing page's heading visible;
 *  - start: "Start chatting" pressed → the first triage question's buttons in
 *    the page, timed inside the page (the click event's time to a
 *    MutationObserver seeing the buttons), split by the app's own performance
 *    marks; Playwright's view of the same is reported beside it;
 *  - baseline, same run: a Node matrix-js-sdk client doing the same steps
 *    (register, start with Rust crypto, createRoom inviting the bot) → first
 *    question decrypted.
 * Each run uses a fresh browser context; the victim "reads" for 3 s first, so
 * the chat code and crypto wasm have loaded, as they would for a person.
 * Needs the client built (`chat-client/dist`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { Stack } from "../../bots/test/stack.ts";
import { launchChromium, PHONE } from "../../test-support/browser.ts";
import { type Figure, type Scenario, type Section, stat } from "../harness/report.ts";

const DIST = new URL("../../chat-client/dist/assets/", import.meta.url).pathname;
const MARKS = ["onsafe:registered", "onsafe:client-started", "onsafe:keys-uploaded", "onsafe:room-created"] as const;
const MARK_WORDS: Record<(typeof MARKS)[number], string> = {
  "onsafe:registered": "registered (wipe leftovers, key derivation, `/register`)",
  "onsafe:client-started": "client started (Rust crypto in IndexedDB, `startClient`)",
  "onsafe:keys-uploaded": "own device keys on the server",
  "onsafe:room-created": "room created",
};

const gzipKb = (files: string[]) => files.reduce((sum, file) => sum + (existsSync(`${DIST}${file}.gz`) ? readFileSync(`${DIST}${file}.gz`).length : 0), 0) / 1024;

export function web(runs = 10): Scenario {
  return {
    id: "web",
    async run(): Promise<Section> {
      if (!existsSync(DIST)) throw new Error("the client is not built: npm run build -w @onsafe/chat-client");
      const stack = await Stack.start();
      const browser = await launchChromium();
      const samples: Record<string, number[]> = { landing: [], start: [], playwright: [], baseline: [], ...Object.fromEntries(MARKS.map((m) => [m, []])) };
      let landingScripts: string[] = [];
      try {
        for (let i = 0; i < runs; i++) {
          const context = await browser.newContext({ ...PHONE, locale: "en-US" });
          const page = await context.newPage();
          const scripts: string[] = [];
          page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(basename(new URL(r.url()).pathname)); });
          const navigated = performance.now();
          await page.goto(`${stack.hs.url}/`, { waitUntil: "commit" });
          await page.getByRole("heading", { level: 1 }).waitFor();
          samples.landing!.push(performance.now() - navigated);
          if (i === 0) landingScripts = [...new Set(scripts)];
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
          samples.playwright!.push(performance.now() - pressed);
          samples.start!.push(await page.evaluate(() => { const w = window as unknown as { clickedAt: number; shownAt: number }; return w.shownAt - w.clickedAt; }));
          const marks = await page.evaluate((names) => {
            const start = performance.getEntriesByName("onsafe:start")[0]!.startTime;
            return names.map((n) => performance.getEntriesByName(n)[0]!.startTime - start);
          }, [...MARKS]);
          MARKS.forEach((m, j) => samples[m]!.push(marks[j]!));
          await context.close();

          const t = performance.now();
          const victim = await stack.visitor();
          const roomId = await stack.startConversation(victim);
          await nextPrompt(victim, roomId, stack.triageBot);
          samples.baseline!.push(performance.now() - t);
          victim.stop();
        }
      } finally {
        await browser.close();
        await stack.close();
      }
      const assets = readdirSync(DIST);
      const allScripts = assets.filter((f) => f.endsWith(".js"));
      const wasm = assets.filter((f) => f.endsWith(".wasm"));
      const baseline = { what: "a Node matrix-js-sdk client: register → first question decrypted", value: stat(samples.baseline!) };
      const figures: Figure[] = [
        { what: `landing page JavaScript, gzip (${landingScripts.join(", ")})`, unit: "KB", value: gzipKb(landingScripts), target: { max: 60, source: "issue 5" } },
        { what: `all JavaScript of the build, gzip (${allScripts.length} files, loaded as needed)`, unit: "KB", value: gzipKb(allScripts) },
        { what: "crypto wasm, gzip (fetched after the landing page)", unit: "KB", value: gzipKb(wasm) },
        { what: "navigation → landing heading visible", unit: "ms", value: stat(samples.landing!) },
        { what: "\"Start chatting\" clicked → first question's buttons in the page", unit: "ms", value: stat(samples.start!), baseline, target: { on: "p95", max: 2000, source: "issue 5" } },
        ...MARKS.map((m): Figure => ({ what: `of which: → ${MARK_WORDS[m]}`, unit: "ms", value: stat(samples[m]!) })),
        { what: "the same start as Playwright sees it (its click and polling included)", unit: "ms", value: stat(samples.playwright!) },
      ];
      return {
        id: "web",
        title: "Victim app in Chromium",
        method: `Chromium from \`@sparticuz/chromium\`, headless, a fresh 360x640 context per run (${runs} runs), against the homeserver and bots service in one process on loopback. The victim waits 3 s on the landing page before pressing start. The start is timed inside the page, from the click event to a MutationObserver seeing the first question's buttons. Sizes are the \`.gz\` files the build writes (the server sends them).`,
        figures,
      };
    },
  };
}
