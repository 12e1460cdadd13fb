/**
 * Every route, called by a visitor with hostile path parameters and bodies:
 * no 5xx, and every error is a Matrix error. (The 100,000-request fuzzer is
 * issue 10's; this is the quick sweep that keeps `npm test` honest meanwhile.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { type Account, TestServer } from "./harness.ts";

const HOSTILE_PARAMS = ["x", "!nope:localhost", "@ghost:localhost", "%00", "..%2F..%2Fetc", "ü한글", "9".repeat(300), "$ev:localhost"];
const HOSTILE_BODIES: (string | undefined)[] = [
  undefined, "", "{", "[]", "null", "42", '"str"', '{"a":', JSON.stringify({ auth: 5, rooms: [], messages: "x", device_keys: 1, one_time_keys: [1] }),
  JSON.stringify({ user_id: 7, membership: {}, body: null, sessions: { s: 1 }, device_keys: { "@a:b": 1 } }),
];

describe("hostile input on every route", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start({ visitorRegistrationsPerWindow: 1000 }); });
  afterAll(async () => { await server.close(); });

  it("answers with 4xx Matrix errors, never 5xx", async () => {
    const routes = createApp(server.hs).routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/_matrix"));
    expect(routes.length).toBeGreaterThan(60);
    let requests = 0;
    let unauthorized = 0;
    const failures: string[] = [];
    for (const route of routes) {
      // A fresh visitor per route: some routes (logout, device deletion) end the session.
      const visitor: Account = await server.registerVisitor();
      for (const param of HOSTILE_PARAMS) {
        const path = route.path.replace(/:[A-Za-z]+\??/g, encodeURIComponent(param)).replace("*", "x");
        const bodies = route.method === "GET" ? [undefined] : HOSTILE_BODIES;
        for (const raw of bodies) {
          requests++;
          const reply = await server.request(route.method, path, { token: visitor.token, raw, headers: raw === undefined ? {} : { "content-type": "application/json" } });
          if (reply.status === 401) unauthorized++;
          const matrixError = typeof reply.body === "object" && reply.body !== null && typeof reply.body.errcode === "string";
          if (reply.status >= 500 || (reply.status >= 400 && reply.status !== 401 && !matrixError)) {
            failures.push(`${route.method} ${path} ${String(raw).slice(0, 30)} -> ${reply.status} ${JSON.stringify(reply.body).slice(0, 100)}`);
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(2000);
    // The sweep must reach the handlers, not stop at the token check.
    expect(unauthorized / requests).toBeLessThan(0.1);
    expect(failures).toEqual([]);
  });
});
