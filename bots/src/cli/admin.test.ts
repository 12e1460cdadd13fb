import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../../../chat-server/test/harness.ts";
import { botsTables, openBotsStore } from "../storage/index.ts";

const run = promisify(execFile);

describe("npm run admin -- add-staff", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  const admin = (args: string[]) => run(process.execPath, ["--import", "tsx", "bots/src/cli/admin.ts", ...args], {
    cwd: new URL("../../..", import.meta.url).pathname,
    env: { ...process.env, ONSAFE_HOMESERVER_URL: server.url, ONSAFE_DATA_DIR: server.config.dataDir, ONSAFE_REGISTRATION_SHARED_SECRET: server.hs.secrets.registrationSharedSecret },
  });

  it("creates a companion through the shared-secret endpoint, who can then log in", async () => {
    const { stdout } = await admin(["add-staff", "--kind", "companion", "--username", "yuna", "--password", "a long password", "--languages", "ko,en", "--capacity", "2", "--display-name", "Yuna"]);
    expect(stdout).toContain("Created companion @yuna:localhost");
    const store = await openBotsStore(server.config.dataDir);
    try {
      expect(botsTables(store).staff.get("@yuna:localhost")).toMatchObject({ kind: "companion", languages: ["ko", "en"], capacity: 2, displayName: "Yuna", onShift: false });
    } finally {
      store.close();
    }
    expect(server.hs.accounts.kindOf("@yuna:localhost")).toBe("companion");
    expect(server.hs.accounts.profile("@yuna:localhost")).toEqual({ displayname: "Yuna" });
    const login = await server.request("POST", "/_matrix/client/v3/login", { body: { type: "m.login.password", identifier: { type: "m.id.user", user: "yuna" }, password: "a long password" } });
    expect(login.status).toBe(200);
    // The CLI's own registration session was logged out again.
    expect(server.hs.accounts.listDevices("@yuna:localhost")).toHaveLength(1);
  });

  it("refuses an unknown kind and a taken name", async () => {
    await expect(admin(["add-staff", "--kind", "visitor", "--username", "x", "--password", "a long password"])).rejects.toMatchObject({ code: 2 });
    await expect(admin(["add-staff", "--kind", "companion", "--username", "x", "--password", "a long password", "--capacity", "many"])).rejects.toMatchObject({ code: 2 });
    await expect(admin(["add-staff", "--kind", "partner", "--username", "yuna", "--password", "a long password"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("M_USER_IN_USE") });
  });
});
