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

  it("thumbnails only images: an image is answered with the file as uploaded, anything else 400 M_UNKNOWN as Synapse does", async () => {
    const upload = async (contentType: string, raw: Uint8Array) => {
      const reply = await server.request("POST", "/_matrix/media/v3/upload", { token: user.token, raw, headers: { "content-type": contentType } });
      expect(reply.status).toBe(200);
      return (reply.body.content_uri as string).slice("mxc://".length);
    };
    const thumbnail = (mxc: string) => fetch(`${server.url}/_matrix/client/v1/media/thumbnail/${mxc}?width=32&height=32&method=scale`, { headers: { authorization: `Bearer ${user.token}` } });
    // Not scaled: the server has no image library, and files in encrypted rooms are ciphertext anyway.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const image = await thumbnail(await upload("image/png", png));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(png);
    for (const type of ["text/plain", "application/octet-stream", "application/pdf", "image/svg+xml", "video/mp4"]) {
      const reply = await thumbnail(await upload(type, new TextEncoder().encode("not an image")));
      const body = await reply.json().catch(() => ({}));
      expect({ type, status: reply.status, errcode: body.errcode }).toEqual({ type, status: 400, errcode: "M_UNKNOWN" });
      expect(typeof body.error).toBe("string");
    }
    // The file itself stays downloadable.
    const text = await upload("text/plain", new TextEncoder().encode("hello"));
    expect((await fetch(`${server.url}/_matrix/client/v1/media/download/${text}`, { headers: { authorization: `Bearer ${user.token}` } })).status).toBe(200);
    expectError(await server.request("GET", "/_matrix/client/v1/media/thumbnail/localhost/doesnotexist?width=32&height=32", { token: user.token }), 404, "M_NOT_FOUND");
  });
});
