import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "../../test/harness.ts";

describe("media", () => {
  let server: TestServer;
  let user: Account;
  beforeAll(async () => {
    server = await TestServer.start({ maxUploadBytes: 1024 * 1024 });
    user = await server.registerVisitor();
  });
  afterAll(async () => { await server.close(); });

  it("uploads and serves media only to authenticated clients, stored owner-only", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250, 251]);
    const upload = await server.request("POST", "/_matrix/media/v3/upload?filename=evidence.bin", { token: user.token, raw: bytes, headers: { "content-type": "application/octet-stream" } });
    expect(upload.status).toBe(200);
    const [, serverName, mediaId] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(upload.body.content_uri)!;
    expect(mediaId.length).toBeGreaterThanOrEqual(32);
    const other = await server.registerVisitor();
    const response = await fetch(`${server.url}/_matrix/client/v1/media/download/${serverName}/${mediaId}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    expectError(await server.request("GET", `/_matrix/client/v1/media/download/${serverName}/${mediaId}`), 401, "M_MISSING_TOKEN");
    expectError(await server.request("GET", `/_matrix/media/v3/download/${serverName}/${mediaId}`, { token: user.token }), 404, "M_NOT_FOUND");
    expect(statSync(join(server.config.dataDir, "media", mediaId)).mode & 0o077).toBe(0);
    expect((await server.request("GET", "/_matrix/client/v1/media/config", { token: user.token })).body).toEqual({ "m.upload.size": 1024 * 1024 });
  });

  it("refuses oversized uploads and unknown media", async () => {
    const before = server.count("media");
    expectError(await server.requestOversized("POST", "/_matrix/media/v3/upload", 2 * 1024 * 1024, user.token), 413, "M_TOO_LARGE");
    expectError(await server.request("POST", "/_matrix/media/v3/upload", { token: user.token, raw: "x", headers: { "content-type": "not a type" } }), 400, "M_BAD_JSON");
    expectError(await server.request("POST", "/_matrix/media/v3/upload", { raw: "x" }), 401, "M_MISSING_TOKEN");
    expect(server.count("media")).toBe(before);
    expectError(await server.request("GET", "/_matrix/client/v1/media/download/localhost/doesnotexist", { token: user.token }), 404, "M_NOT_FOUND");
    expectError(await server.request("GET", "/_matrix/client/v1/media/download/elsewhere.org/abc", { token: user.token }), 404, "M_NOT_FOUND");
  });
});
