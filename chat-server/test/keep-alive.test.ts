/**
 * The request after an early refusal, on the same keep-alive connection. The
 * server answers a too-large or unauthenticated upload before the body has
 * arrived and then drops the connection rather than read the rest; without
 * `Connection: close` on the answer, a client kept the connection and its next
 * request (a small valid upload) failed with "socket hang up" / "other side
 * closed". Now such answers say `Connection: close`, and the next request
 * opens a new connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeepAliveClient } from "../../test-support/keep-alive-client.ts";
import { type Account, TestServer } from "./harness.ts";

const MB = 1024 * 1024;
const upload = "/_matrix/media/v3/upload?filename=note.txt";

describe("the next request on a keep-alive connection after an early refusal", () => {
  let server: TestServer;
  let visitor: Account;
  let client: KeepAliveClient;
  beforeAll(async () => {
    server = await TestServer.start({ maxUploadBytes: 1.5 * MB });
    visitor = await server.registerVisitor();
  });
  afterAll(async () => { await server.close(); });
  beforeAll(() => { client = new KeepAliveClient(server.url); });
  afterAll(() => { client.close(); });

  const auth = () => ({ authorization: `Bearer ${visitor.token}`, "content-type": "text/plain" });
  const smallUpload = () => client.send("POST", upload, "hello", auth());

  it("a 2 MB upload over the limit: 413, Connection: close, then a small upload succeeds", async () => {
    const first = await smallUpload();
    expect(first.status).toBe(200);
    const refused = await client.send("POST", upload, Buffer.alloc(2 * MB, 0x78), auth());
    expect({ status: refused.status, errcode: refused.body.errcode }).toEqual({ status: 413, errcode: "M_TOO_LARGE" });
    const next = await smallUpload();
    expect(next.status).toBe(200);
    expect(next.body.content_uri).toMatch(/^mxc:\/\//);
    expect(refused.connection).toBe("close");
    // An answer after the whole body was read keeps the connection.
    const again = await smallUpload();
    expect(again.socket).toBe(next.socket);
  });

  it("a 1 MB upload without a token: 401, Connection: close, then a small upload succeeds", async () => {
    const refused = await client.send("POST", upload, Buffer.alloc(MB, 0x78), { "content-type": "text/plain" });
    expect({ status: refused.status, errcode: refused.body.errcode }).toEqual({ status: 401, errcode: "M_MISSING_TOKEN" });
    expect((await smallUpload()).status).toBe(200);
    expect(refused.connection).toBe("close");
  });

  it("a 2 MB JSON body (over the 1 MB JSON limit, also under /_onsafe/): 413, then a small request succeeds", async () => {
    for (const path of ["/_matrix/client/v3/user/x/filter", "/_onsafe/v1/me/shift"]) {
      const refused = await client.send("POST", path, Buffer.alloc(2 * MB, 0x20), { ...auth(), "content-type": "application/json" });
      expect({ path, status: refused.status }).toEqual({ path, status: 413 });
      expect((await smallUpload()).status).toBe(200);
      expect(refused.connection).toBe("close");
    }
  });
});
