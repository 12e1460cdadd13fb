import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENCRYPTION, type Account, expectError, type Reply, TestServer } from "../../test/harness.ts";

describe("request bodies", () => {
  let server: TestServer;
  let visitor: Account;
  let roomId: string;

  beforeAll(async () => {
    server = await TestServer.start();
    visitor = await server.registerVisitor();
    roomId = (await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: { initial_state: [ENCRYPTION] } })).body.room_id;
  });
  afterAll(async () => { await server.close(); });

  /** A body sent in pieces without Content-Length (chunked), as streaming clients do. */
  function putChunked(path: string, pieces: string[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(server.url + path, {
        method: "PUT",
        agent: false,
        headers: { "content-type": "application/json", authorization: `Bearer ${visitor.token}` },
      }, (res) => {
        let text = "";
        res.on("data", (chunk) => { text += chunk; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: new Headers() }));
      });
      req.on("error", (error) => { if (!req.destroyed) reject(error); });
      for (const piece of pieces) req.write(piece);
      req.end();
    });
  }

  it("reads a JSON body that comes in pieces without a length", async () => {
    const reply = await putChunked(`/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/c1`, ['{"algorithm":"m.megolm.v1.aes-sha2",', '"ciphertext":"', "x".repeat(40_000), '"}']);
    expect(reply.status).toBe(200);
    const event = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/event/${reply.body.event_id}`, { token: visitor.token });
    expect(event.body.content.ciphertext).toHaveLength(40_000);
  });

  it("refuses a body without a length once it passes the limit, and stores nothing", async () => {
    const before = server.count("events");
    const piece = "x".repeat(64 * 1024);
    const reply = await putChunked(`/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/c2`, ['{"ciphertext":"', ...Array.from({ length: 20 }, () => piece), '"}']);
    expectError(reply, 413, "M_TOO_LARGE");
    expect(server.count("events")).toBe(before);
  });
});
