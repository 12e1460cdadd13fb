/**
 * The bots keep their access tokens (issue 21): a restart reuses them instead
 * of logging in, so guesses at a bot's public id cannot stop it from starting.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Stack } from "./stack.ts";

describe("the bots' sessions across restarts", () => {
  let stack: Stack;
  beforeAll(async () => { stack = await Stack.start(); }, 60_000);
  afterAll(async () => { await stack.close(); });

  const publicConfig = () => stack.hs.request("GET", "/_onsafe/v1/public/config");

  /** Logs the triage bot's token out, restarts the bots, and returns the user ids the homeserver issued tokens to meanwhile. */
  async function restartAfterTriageLogout(): Promise<{ triageToken: string; loggedIn: string[] }> {
    const triageToken = stack.bots.triage.client.getAccessToken()!;
    expect((await stack.hs.request("POST", "/_matrix/client/v3/logout", { token: triageToken })).status).toBe(200);
    const logins = vi.spyOn(stack.hs.hs.accounts, "issueToken");
    try {
      await stack.stopBots();
      await stack.startBots();
      return { triageToken, loggedIn: logins.mock.calls.map((call) => call[0]) };
    } finally {
      logins.mockRestore();
    }
  }

  it("reuses each bot's token when restarted: no login, and the service answers", async () => {
    const logins = vi.spyOn(stack.hs.hs.accounts, "issueToken");
    try {
      await stack.stopBots();
      await stack.startBots();
      expect(logins).not.toHaveBeenCalled();
      expect((await publicConfig()).status).toBe(200);
    } finally {
      logins.mockRestore();
    }
    expect(statSync(join(stack.config.dataDir, "bots-sessions.json")).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("logs in again, as the same device, only the bot whose token the homeserver refuses", async () => {
    const triageDevice = stack.bots.triage.client.getDeviceId();
    const { triageToken, loggedIn } = await restartAfterTriageLogout();
    expect(loggedIn).toEqual([stack.triageBot]);
    expect(stack.bots.triage.client.getDeviceId()).toBe(triageDevice);
    expect(stack.bots.triage.client.getAccessToken()).not.toBe(triageToken);
    expect((await publicConfig()).status).toBe(200);
  }, 60_000);

  it("solves the proof of work the homeserver asks for when others on its address have guessed wrong (401 ORG.ONSAFE.POW_REQUIRED)", async () => {
    // Three wrong passwords from the bots' own address (staff on the same host, or a proxy in front of it).
    for (let i = 0; i < 3; i++) {
      const wrong = await stack.hs.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: "someone-on-this-host" }, password: `wrong-${i}` },
      });
      expect(wrong.status).toBe(403);
    }
    const { triageToken, loggedIn } = await restartAfterTriageLogout();
    expect(loggedIn).toEqual([stack.triageBot]);
    expect(stack.bots.triage.client.getAccessToken()).not.toBe(triageToken);
    expect((await publicConfig()).status).toBe(200);
  }, 60_000);
});
