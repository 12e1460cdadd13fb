/** The console in a browser test: signing a staff member in, and collecting page errors. */
import type { Page } from "playwright-core";

/** The test harness's default staff password (chat-server/test/harness.ts createAccount). */
export const STAFF_PASSWORD = "correct horse battery";

/** Page errors and console errors (but not failed resource loads, which tests provoke on purpose). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
  return errors;
}

/** Opens `/console` on `page` and signs `name` in; resolves once their dashboard shows. */
export async function signInToConsole(page: Page, baseUrl: string, name: string, password = STAFF_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByRole("textbox", { name: "Username" }).fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ timeout: 15_000 });
}
