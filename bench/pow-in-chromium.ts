/**
 * How long the web app takes to solve a proof-of-work challenge in Chromium
 * (issue 21, docs/PROOF-OF-WORK.md "Measured"): the difficulty
 * (`ONSAFE_POW_MAX_NUMBER`) is chosen from these numbers.
 *
 *   node --import tsx bench/pow-in-chromium.ts [runs per difficulty, default 30] [maxnumber …]
 *
 * The page is the built app (`chat-client/dist`, or ONSAFE_CLIENT_DIR) served by
 * the real homeserver, so its Content-Security-Policy applies; a fresh 360×640
 * phone context per profile: unthrottled, and CPU 4× slower through
 * `Emulation.setCPUThrottlingRate` (as bench/scenarios/web.ts). Each solve is what
 * the app's `solveInBackground` (chat-client/src/matrix/proof-of-work.ts) does: a
 * new Web Worker from the app's built worker file, the challenge posted, the
 * payload back, the worker ended; timed inside the page from `new Worker` to the
 * payload. Beside it, the longest gap between animation frames during the solve
 * (the page staying alive). Challenges are altcha-lib's, with random numbers as
 * the server makes them; each payload is checked with altcha-lib's verifySolution.
 * Not part of `npm run bench` (it is a measurement for one decision, not a figure
 * to watch).
 */
import "@onsafe/schema/polyfills";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createChallenge, verifySolution } from "altcha-lib/v1";
import type { Page } from "playwright-core";
import { TestServer } from "../chat-server/test/harness.ts";
import { launchChromium, PHONE } from "../test-support/browser.ts";

const DIST = process.env.ONSAFE_CLIENT_DIR ?? new URL("../chat-client/dist/", import.meta.url).pathname;
const HMAC_KEY = "measurement only";

const args = process.argv.slice(2).map(Number);
const runs = args[0] || 30;
const difficulties = args.length > 1 ? args.slice(1) : [50_000, 100_000, 200_000];

const worker = readdirSync(`${DIST}/assets`).find((f) => /^proof-of-work\.worker-.*\.js$/.test(f));
if (!worker) throw new Error(`no proof-of-work worker in ${DIST}/assets: build the client first`);
const workerSource = readFileSync(`${DIST}/assets/${worker}`, "utf8");

/**
 * In the page: one solve, timed from its start to the payload, with the longest gap between animation frames
 * meanwhile. `start` begins the solve and calls `done(payload)` / `fail(message)`. A string, so tsx's helpers
 * (it names inner functions) do not follow it into the page.
 */
const timedInPage = (start: string) => `new Promise((resolve, reject) => {
  let last = performance.now();
  let gap = 0;
  let running = true;
  const frame = () => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const started = performance.now();
  const done = (payload) => {
    running = false;
    const now = performance.now();
    resolve([now - started, Math.max(gap, now - last), payload]);
  };
  const fail = (message) => { running = false; reject(new Error(message)); };
  ${start}
})`;

/** What the app's solveInBackground does: a new worker from the app's worker file, the challenge posted, ended on the answer. */
function inWorker(page: Page, challenge: unknown): Promise<[number, number, string]> {
  return page.evaluate(timedInPage(`
    const w = new Worker(${JSON.stringify(`/assets/${worker}`)}, { type: "module" });
    w.onmessage = (event) => { w.terminate(); event.data.payload ? done(event.data.payload) : fail(event.data.error); };
    w.onerror = (event) => fail("worker failed: " + event.message);
    w.postMessage(${JSON.stringify(challenge)});
  `));
}

/**
 * The same built worker code run on the page's own thread (its \`self\` a stand-in): DevTools' CPU throttling
 * slows the page's thread but hardly a worker's (measured: a busy loop 3–4× slower on the page, 1–2× in a
 * worker), so this is how a phone 4× slower, all of whose threads are slow, runs the app's solver.
 */
function onPageThread(page: Page, challenge: unknown): Promise<[number, number, string]> {
  return page.evaluate(timedInPage(`
    let handler;
    const stand = { postMessage: (data) => (data.payload ? done(data.payload) : fail(data.error)), set onmessage(f) { handler = f; } };
    ((self) => { ${workerSource} })(stand);
    handler({ data: ${JSON.stringify(challenge)} });
  `));
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return `${at(0.5).toFixed(0)} / ${at(0.95).toFixed(0)} / ${sorted[sorted.length - 1]!.toFixed(0)} ms (n=${sorted.length})`;
}

const PROFILES = [
  { words: "unthrottled, in a worker (as the app)", rate: 1, solve: inWorker },
  { words: "page CPU 4× slower, in a worker (as the app; the worker itself is hardly slowed)", rate: 4, solve: inWorker },
  { words: "CPU 4× slower, on the page's thread (a phone 4× slower)", rate: 4, solve: onPageThread },
];

const server = await TestServer.start({ clientDir: DIST });
const browser = await launchChromium();
console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(" ")} (${runs} runs per difficulty)`);
try {
  for (const profile of PROFILES) {
    const context = await browser.newContext({ ...PHONE, locale: "en-US" });
    const page = await context.newPage();
    if (profile.rate !== 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.rate });
    }
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    // One solve first, not counted: the worker file into the cache, as the chat's own chunk is by the time a victim starts.
    await profile.solve(page, await createChallenge({ hmacKey: HMAC_KEY, maxnumber: 1000 }));
    // The difficulties take turns, so a change in the machine's load falls on all of them alike.
    const times = difficulties.map((): number[] => []);
    const gaps = difficulties.map((): number[] => []);
    const tries = difficulties.map((): number[] => []);
    for (let i = 0; i < runs; i++) {
      for (const [d, maxnumber] of difficulties.entries()) {
        const challenge = await createChallenge({ hmacKey: HMAC_KEY, maxnumber, expires: new Date(Date.now() + 600_000) });
        const [ms, gap, payload] = await profile.solve(page, challenge);
        if (!(await verifySolution(payload, HMAC_KEY))) throw new Error("the server would refuse this payload");
        times[d]!.push(ms);
        gaps[d]!.push(gap);
        tries[d]!.push((JSON.parse(atob(payload)) as { number: number }).number + 1);
      }
    }
    for (const [d, maxnumber] of difficulties.entries()) {
      const perHashUs = (times[d]!.reduce((a, b) => a + b, 0) / tries[d]!.reduce((a, b) => a + b, 0)) * 1000;
      console.log(`${profile.words}, maxnumber ${maxnumber}: solve ${stats(times[d]!)}; longest frame gap ${stats(gaps[d]!)}; ${perHashUs.toFixed(1)} µs per hash; load ${loadavg()[0]!.toFixed(1)}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
