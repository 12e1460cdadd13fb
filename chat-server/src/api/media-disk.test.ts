/**
 * The media disk's last free bytes (issue 21): uploads, everyone's, stop
 * before the disk that also holds the database fills (a full disk would fail
 * every commit: nobody could send, sign in or be helped). Past
 * `mediaMinFreeBytes` left free, an upload is refused with 403
 * M_RESOURCE_LIMIT_EXCEEDED, nothing stored; messages still go.
 */
import { statfsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serverWithAccounts } from "../../test/fixtures.ts";

const upload = (env: ReturnType<typeof serverWithAccounts<"companion">>, token: string, bytes: number) =>
  env.server.request("POST", "/_matrix/media/v3/upload?filename=f.bin", { token, raw: new Uint8Array(bytes), headers: { "content-type": "application/octet-stream" } });

describe("uploads when the disk is nearly full", () => {
  // "Nearly full" here: keep free more than this disk has, so any upload would go below it.
  const free = () => { const s = statfsSync("/tmp"); return s.bavail * s.bsize; };
  const full = serverWithAccounts({ companion: ["companion", "disk-staff"] }, { mediaMinFreeBytes: free() * 2 });

  it("are refused with 403 M_RESOURCE_LIMIT_EXCEEDED and an admin_contact, for visitors and staff; nothing is stored", async () => {
    const visitor = await full.server.registerVisitor();
    const before = full.server.count("media");
    for (const token of [visitor.token, full.companion.token]) {
      const reply = await upload(full, token, 1000);
      expect({ status: reply.status, errcode: reply.body.errcode, contact: typeof reply.body.admin_contact }).toEqual({ status: 403, errcode: "M_RESOURCE_LIMIT_EXCEEDED", contact: "string" });
    }
    expect(full.server.count("media")).toBe(before);
  });

  const roomy = serverWithAccounts({ companion: ["companion", "disk-staff-2"] }, { mediaMinFreeBytes: 0 });
  it("with the bound at 0, go as before", async () => {
    const visitor = await roomy.server.registerVisitor();
    expect((await upload(roomy, visitor.token, 1000)).status).toBe(200);
  });
});
