import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("npm run admin -- add-partner", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "onsafe-admin-"));
    const store = await openBotsStore(dataDir);
    try {
      const staff = botsTables(store).staff;
      staff.upsert({ userId: "@lawyer:localhost", kind: "partner", displayName: "Lawyer", languages: ["ko"], capacity: 0 });
      staff.upsert({ userId: "@mina:localhost", kind: "companion", displayName: "Mina", languages: ["ko"], capacity: 3 });
    } finally {
      store.close();
    }
  });
  afterAll(() => { rmSync(dataDir, { recursive: true, force: true }); });

  // No homeserver: the partner directory lives in bots.sqlite only.
  const admin = (args: string[]) => run(process.execPath, ["--import", "tsx", "bots/src/cli/admin.ts", ...args], {
    cwd: new URL("../../..", import.meta.url).pathname,
    env: { ...process.env, ONSAFE_DATA_DIR: dataDir, ONSAFE_HOMESERVER_URL: "http://127.0.0.1:9" },
  });
  const partnerArgs = ["add-partner", "--kind", "legal_aid", "--name-ko", "법률구조센터", "--name-en", "Legal aid centre",
    "--about-ko", "무료 법률 상담", "--about-en", "Free legal advice", "--region", "Seoul", "--languages", "ko, en",
    "--hours", "Mon-Fri 09:00-18:00", "--contact", "02-000-0000"];
  const partnerRows = async () => {
    const store = await openBotsStore(dataDir);
    try {
      return botsTables(store).partners.active();
    } finally {
      store.close();
    }
  };

  it("adds a partner with its staff accounts and prints the new id", async () => {
    const { stdout } = await admin([...partnerArgs, "--staff", "@lawyer:localhost"]);
    const id = /Created partner (p-[0-9a-z]{6})/.exec(stdout)?.[1];
    expect(id).toBeDefined();
    expect(await partnerRows()).toEqual([expect.objectContaining({
      id, kind: "legal_aid", name: { ko: "법률구조센터", en: "Legal aid centre" }, about: { ko: "무료 법률 상담", en: "Free legal advice" },
      region: "Seoul", languages: ["ko", "en"], hours: "Mon-Fri 09:00-18:00", contact: "02-000-0000", staffIds: ["@lawyer:localhost"], active: true,
    })]);
  });

  it("refuses a missing option, an unknown kind and a staff id that is not a partner account, and adds nothing", async () => {
    const before = await partnerRows();
    await expect(admin(partnerArgs.slice(0, -2))).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--contact") });
    await expect(admin([...partnerArgs, "--kind", "bakery"])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("'kind'") });
    await expect(admin([...partnerArgs, "--staff", "@mina:localhost"])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("@mina:localhost") });
    expect(await partnerRows()).toEqual(before);
  });
});
