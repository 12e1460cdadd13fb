/**
 * Drives the victim app in Chromium the way a person does: by the visible,
 * labelled controls. Shared by the victim app's browser tests.
 */
import type { BrowserContext, Page } from "playwright-core";

export class VictimPage {
  readonly requests: string[] = [];
  readonly console: string[] = [];

  private constructor(readonly page: Page, readonly origin: string) {
    page.on("request", (request) => this.requests.push(request.url()));
    page.on("console", (message) => this.console.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => this.console.push(`pageerror: ${error.message}`));
  }

  /** What the chat shows and what the page logged, for a failure message. */
  async describe(): Promise<string> {
    const shown = await this.page.locator(".messages > li").allTextContents();
    const alerts = await this.page.getByRole("alert").allTextContents();
    const heading = await this.page.locator("h1").allTextContents();
    return `the page (${heading.join(" / ")}) shows:\n${shown.join("\n")}\nalerts: ${alerts.join(" / ")}\nconsole:\n${this.console.slice(-30).join("\n")}`;
  }

  /** Presses start and waits for the first triage question's buttons; returns the milliseconds it took. */
  async start(timeoutMs = 30_000): Promise<number> {
    const pressed = performance.now();
    await this.page.getByRole("button", { name: /Start chatting|상담 시작하기/ }).click();
    try {
      await this.options().first().waitFor({ timeout: timeoutMs });
    } catch (error) {
      throw new Error(`no triage question within ${timeoutMs} ms; ${await this.describe()}`, { cause: error });
    }
    return performance.now() - pressed;
  }

  static async open(context: BrowserContext, origin: string): Promise<VictimPage> {
    const victim = new VictimPage(await context.newPage(), origin);
    await victim.page.goto(`${origin}/`);
    return victim;
  }

  /** Requests that went anywhere but our own origin (data: and blob: are local). */
  foreignRequests(): string[] {
    return this.requests.filter((url) => !url.startsWith(`${this.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"));
  }

  options() {
    return this.page.locator(".options[role=group] button");
  }

  /** Answers triage by tapping: the first category, then "No…" where offered, until no question is left. */
  async answerTriageByTapping(until: () => Promise<boolean>, timeoutMs = 90_000): Promise<string[]> {
    const tapped: string[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error(`triage did not finish; tapped ${tapped.join(" / ")}; ${await this.describe()}`);
      const group = this.page.locator(".options[role=group]");
      if ((await group.count()) === 0) {
        await this.page.waitForTimeout(100);
        continue;
      }
      const labels = (await this.options().allTextContents()).map((l) => l.trim());
      const choice = labels.find((l) => /^No\b/.test(l)) ?? labels[0]!;
      const mine = await this.page.locator(".messages .message.from-me").count();
      await this.options().filter({ hasText: choice }).first().click();
      tapped.push(choice);
      // The tap shows as my message and takes the buttons away in one render. Waiting for the buttons to be
      // detached could miss that moment when the bot's next question comes within Playwright's poll interval.
      await this.page.waitForFunction((before) => document.querySelectorAll(".messages .message.from-me").length > before, mine, { timeout: 30_000 });
    }
    return tapped;
  }

  /** The recovery code, where the victim finds it at any time: Menu, then "Show my code". */
  async recoveryCode(): Promise<string> {
    await this.page.locator("summary", { hasText: /^(Menu|메뉴)$/ }).click();
    await this.page.locator(".menu-items").getByRole("button", { name: /^(Show my code|내 코드 보기)$/ }).click();
    const code = (await this.page.getByTestId("recovery-code").textContent({ timeout: 10_000 }))!;
    await this.page.getByRole("dialog").getByRole("button", { name: /^(Close|닫기)$/ }).click();
    await this.page.getByTestId("recovery-code").waitFor({ state: "detached" });
    return code;
  }

  /** Switches between Korean and English; in the chat the switch is in the menu. */
  async switchLanguage(): Promise<void> {
    const menu = this.page.locator("summary", { hasText: /^(Menu|메뉴)$/ });
    if ((await menu.count()) > 0) await menu.click();
    await this.page.getByRole("button", { name: /^(English|한국어)$/ }).click();
  }

  /** How far the page is wider than the viewport (0 when nothing sticks out sideways). */
  horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }

  async send(text: string): Promise<void> {
    await this.page.getByRole("textbox", { name: /Message|메시지/ }).fill(text);
    await this.page.keyboard.press("Enter");
  }

  messageBodies() {
    return this.page.locator(".messages .message .body").allTextContents();
  }
}
