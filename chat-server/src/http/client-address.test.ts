/**
 * The client address behind a reverse proxy (issue 21, "Nobody honest turned
 * away"): `X-Forwarded-For` names the client only when the connection comes
 * from one of ONSAFE_TRUSTED_PROXIES. Shown on the sign-up ceiling, the budget
 * the address keys.
 */
import { describe, expect, it } from "vitest";
import { expectError, TestServer } from "../../test/harness.ts";
import { resolveClientAddress, trustedProxyList } from "./client-address.ts";

const REGISTER = "/_matrix/client/v3/register";

/** Signs up with these headers; the status of the sign-up (429 when the address has used its ceiling). */
async function signUp(server: TestServer, forwardedFor: string): Promise<number> {
  const headers = { "x-forwarded-for": forwardedFor };
  const ask = await server.request("POST", REGISTER, { body: {}, headers });
  if (ask.status !== 401) return expectError(ask, 429, "M_LIMIT_EXCEEDED").status;
  const reply = await server.request("POST", REGISTER, { body: { auth: await server.registrationProof(headers) }, headers });
  return reply.status;
}

describe("client address", () => {
  it("through a trusted proxy, two clients with different X-Forwarded-For get separate budgets; a forged left part changes nothing", async () => {
    const server = await TestServer.start({ trustedProxies: ["127.0.0.1"], visitorRegistrationsPerWindow: 2 });
    try {
      expect(await signUp(server, "203.0.113.1")).toBe(200);
      // What the client wrote itself stands left of what the proxy appended: the key stays 203.0.113.1.
      expect(await signUp(server, "198.51.100.99, 203.0.113.1")).toBe(200);
      expect(await signUp(server, "198.51.100.100, 203.0.113.1")).toBe(429);
      expect(await signUp(server, "203.0.113.2")).toBe(200);
      expect(await signUp(server, "2001:db8::7")).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("from a peer that is not a trusted proxy the header is ignored: a forged X-Forwarded-For does not reset the budget", async () => {
    const server = await TestServer.start({ visitorRegistrationsPerWindow: 2 });
    try {
      expect(await signUp(server, "203.0.113.1")).toBe(200);
      expect(await signUp(server, "203.0.113.2")).toBe(200);
      expect(await signUp(server, "203.0.113.3")).toBe(429);
    } finally {
      await server.close();
    }
  });

  it("takes the right-most address that is not a trusted proxy, and never a non-address", () => {
    const list = trustedProxyList(["10.0.0.0/8", "::1", "fd00::/8"]);
    expect(resolveClientAddress(list, "10.1.2.3", "1.1.1.1, 2.2.2.2, 10.9.9.9")).toBe("2.2.2.2");
    expect(resolveClientAddress(list, "::ffff:10.1.2.3", "2001:db8::1")).toBe("2001:db8::1");
    expect(resolveClientAddress(list, "::1", "fd00::5, 10.0.0.7")).toBe("fd00::5");
    expect(resolveClientAddress(list, "10.1.2.3", "nonsense, 10.0.0.7")).toBe("10.0.0.7");
    expect(resolveClientAddress(list, "10.1.2.3", undefined)).toBe("10.1.2.3");
    expect(resolveClientAddress(list, "192.0.2.1", "2.2.2.2")).toBe("192.0.2.1");
    expect(() => trustedProxyList(["10.0.0.0/33"])).toThrow(/ONSAFE_TRUSTED_PROXIES/);
  });

  it("reads a hop written with its port (some proxies and load balancers add it): 1.2.3.4:5678, [2001:db8::1]:443", () => {
    const list = trustedProxyList(["10.0.0.0/8"]);
    expect(resolveClientAddress(list, "10.1.2.3", "203.0.113.9:51234")).toBe("203.0.113.9");
    expect(resolveClientAddress(list, "10.1.2.3", "[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(resolveClientAddress(list, "10.1.2.3", "203.0.113.9:51234, 10.0.0.7:8080")).toBe("203.0.113.9");
    // A bare IPv6 address is not read as one with a port.
    expect(resolveClientAddress(list, "10.1.2.3", "2001:db8::1")).toBe("2001:db8::1");
    // Nor is anything else that merely ends in digits.
    expect(resolveClientAddress(list, "10.1.2.3", "1.2.3:4")).toBe("10.1.2.3");
    expect(() => trustedProxyList(["proxy.example"])).toThrow(/ONSAFE_TRUSTED_PROXIES/);
  });
});
