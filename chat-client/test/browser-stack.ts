/**
 * What every browser test file sets up: the whole service (`Stack`) and
 * Chromium, started once before the file's tests and closed after them, and
 * the browser profiles (contexts) the tests open, each closed with the rest,
 * or after its own test where the file's tests must share nothing.
 */
import { afterAll, afterEach, beforeAll, vi } from "vitest";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { Stack, type StackOptions } from "../../bots/test/stack.ts";
import { launchChromium, PHONE } from "../../test-support/browser.ts";

/**
 * The budget of each test in a browser file that names none. A browser test
 * drives Chromium, the crypto of several clients and the bots through many
 * steps; on two shared cores (npm test beside other work) console-referral's
 * offer test took 51 s of the old 60 s at load 15, and 62 s with two more
 * busy processes. Its waits are on conditions, so a larger budget costs a
 * passing run nothing.
 */
const BROWSER_TEST_TIMEOUT_MS = 240_000;

/** A tablet held sideways, or a small laptop: where companions use the console. */
const TABLET = { viewport: { width: 1024, height: 768 } } as const;

export interface BrowserStack {
  readonly stack: Stack;
  /** A new, empty browser profile on a phone, in English unless `options` say otherwise. */
  phone(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** The same on a 1024×768 screen. */
  tablet(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Registers the file's hooks; the service and the browser are there from its first `beforeAll` on. */
export function useBrowserStack(o: { closeContextsAfterEach?: boolean; stack?: StackOptions } = {}): BrowserStack {
  // For this file only (vitest resets it after the file); a test's own timeout still wins.
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS });
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([Stack.start(o.stack), launchChromium()]);
  }, 180_000);

  if (o.closeContextsAfterEach) {
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
  }

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  async function open(device: BrowserContextOptions, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await started(browser).newContext({ ...device, locale: "en-US", ...options });
    contexts.push(context);
    return context;
  }

  return {
    get stack() {
      return started(stack);
    },
    phone: (options) => open(PHONE, options),
    tablet: (options) => open(TABLET, options),
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("the service and the browser start in beforeAll: use them in a hook or a test");
  return value;
}
