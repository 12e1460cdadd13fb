/** Password confirmation (user-interactive auth) has the login's limit on guesses (issue 21, finding 6). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";
import { TestServer } from "../../test/harness.ts";

const PASSWORD = "correct horse battery";

describe("password confirmation guesses", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  it("refuses, unchecked, the right password after 25 wrong ones on POST /delete_devices, and deletes nothing", async () => {
    const staff = await server.createAccount("companion", "uia-target", PASSWORD);
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: staff.userId }, password: PASSWORD },
    });
    const other = login.body.device_id as string;
    const deleteOther = async (password: string) => {
      const ask = await server.call(staff, "POST", "/delete_devices", { devices: [other] });
      expect(ask.status).toBe(401);
      return server.call(staff, "POST", "/delete_devices", { devices: [other], auth: { type: "m.login.password", session: ask.body.session, password } });
    };
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await deleteOther(`wrong-guess-${i}`)).status);
    const right = await deleteOther(PASSWORD);
    expect(right.status).toBe(429);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(right.body.errcode).toBe("M_LIMIT_EXCEEDED");
    expect(right.body.retry_after_ms).toBeGreaterThan(0);
    expect((await server.call(staff, "GET", `/devices/${other}`)).status).toBe(200);
  });

  it("after a few wrong ones, asks for a solved proof of work as /login does (401 ORG.ONSAFE.POW_REQUIRED), and takes the right password with one", async () => {
    // Its own server: a fresh count of this address's failures, and no pause between guesses.
    const own = await TestServer.start({ loginBackoffMs: 0 });
    try {
      const staff = await own.createAccount("companion", "uia-pow", PASSWORD);
      const login = await own.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: staff.userId }, password: PASSWORD },
      });
      const other = login.body.device_id as string;
      const deleteOther = async (password: string, proof?: string) => {
        const ask = await own.call(staff, "POST", "/delete_devices", { devices: [other] });
        return own.call(staff, "POST", "/delete_devices", { devices: [other], auth: { type: "m.login.password", session: ask.body.session, password, [PROOF_OF_WORK_STAGE]: proof } });
      };
      for (let i = 0; i < own.config.loginFailuresBeforeBackoff; i++) expect((await deleteOther(`wrong-${i}`)).status).toBe(401);
      const unproven = await deleteOther(PASSWORD);
      expect({ status: unproven.status, errcode: unproven.body.errcode }).toEqual({ status: 401, errcode: POW_REQUIRED_ERRCODE });
      expect((await own.call(staff, "GET", `/devices/${other}`)).status).toBe(200);
      const challenge = proofOfWorkChallengeIn(unproven.body)!;
      expect(challenge).toBeTruthy();
      const proven = await deleteOther(PASSWORD, await solveProofOfWork(challenge));
      expect(proven.status).toBe(200);
      expect((await own.call(staff, "GET", `/devices/${other}`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});
