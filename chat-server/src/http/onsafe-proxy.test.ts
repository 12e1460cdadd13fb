import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, TestServer } from "../../test/harness.ts";

/** A stand-in for the bots service that echoes what reached it. */
function echoServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      res.writeHead(req.url === "/_onsafe/v1/teapot" ? 418 : 200, { "content-type": "application/json", "x-internal": "yes" });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${address.port}` });
  }));
}

describe("/_onsafe/ goes to the bots service", () => {
  let bots: { server: Server; url: string };
  let hs: TestServer;
  let unreachable: TestServer;
  beforeAll(async () => {
    bots = await echoServer();
    hs = await TestServer.start({ botsUrl: bots.url });
    unreachable = await TestServer.start({ botsUrl: "http://127.0.0.1:9" });
  });
  afterAll(async () => {
    await hs.close();
    await unreachable.close();
    bots.server.close();
  });

  it("forwards method, path, query, body and the authorization header, and nothing that identifies the client", async () => {
    const reply = await hs.request("PUT", "/_onsafe/v1/me/shift?x=1", {
      token: "abc", body: { onShift: true }, headers: { "user-agent": "Secret/1.0", "x-forwarded-for": "203.0.113.9", cookie: "a=b" },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ method: "PUT", url: "/_onsafe/v1/me/shift?x=1", body: '{"onShift":true}' });
    expect(reply.body.headers).toMatchObject({ authorization: "Bearer abc", "content-type": "application/json" });
    expect(reply.body.headers["user-agent"]).not.toBe("Secret/1.0");
    expect(reply.body.headers["x-forwarded-for"]).toBeUndefined();
    expect(reply.body.headers.cookie).toBeUndefined();
    expect(reply.headers.get("x-internal")).toBeNull();
  });

  it("passes the bots service's status through", async () => {
    expect((await hs.request("GET", "/_onsafe/v1/teapot")).status).toBe(418);
  });

  it("answers a Matrix-style 502 while the bots service is down", async () => {
    const reply = expectError(await unreachable.request("GET", "/_onsafe/v1/public/config"), 502, "M_UNKNOWN");
    expect(reply.headers.get("retry-after")).toBe("5");
  });
});
