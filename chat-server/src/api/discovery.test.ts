import { describe, expect, it } from "vitest";
import { expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/** Where clients reach the server through the operator's TLS proxy, not the listen address. */
const PUBLIC_URL = "https://chat.onsafe.example";

describe("discovery, capabilities, CORS and unknown endpoints", () => {
  const env = serverWithAccounts({ companion: ["companion", "haneul"] }, { publicBaseUrl: PUBLIC_URL });

  it("answers /versions without a token, including v1.11", async () => {
    for (const path of ["/_matrix/client/versions", "/_matrix/client/versions/"]) {
      const reply = await env.server.request("GET", path);
      expect(reply.status).toBe(200);
      expect(reply.body.versions).toContain("v1.11");
      expect(reply.body.versions.every((v: unknown) => typeof v === "string" && /^[rv]\d+\.\d+(\.\d+)?$/.test(v))).toBe(true);
      expect(reply.body.unstable_features).toEqual({});
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("requires a token for /capabilities and offers the one room version", async () => {
    expectError(await env.server.request("GET", "/_matrix/client/v3/capabilities"), 401, "M_MISSING_TOKEN");
    expectError(await env.server.request("GET", "/_matrix/client/v3/capabilities", { token: "not-a-token" }), 401, "M_UNKNOWN_TOKEN");
    const reply = await env.server.request("GET", "/_matrix/client/v3/capabilities", { token: env.companion.token });
    expect(reply.status).toBe(200);
    const capabilities = reply.body.capabilities;
    expect(capabilities["m.room_versions"]).toEqual({ default: "10", available: { 10: "stable" } });
    expect(capabilities["m.change_password"]).toEqual({ enabled: true });
    expect(capabilities["m.3pid_changes"]).toEqual({ enabled: false });
    expect(capabilities["m.set_displayname"]).toEqual({ enabled: true });
    expect(capabilities["m.set_avatar_url"]).toEqual({ enabled: true });
  });

  it("tells visitors they cannot set a display name or avatar, as the profile endpoints will refuse", async () => {
    const visitor = await env.server.registerVisitor();
    const capabilities = (await env.server.request("GET", "/_matrix/client/v3/capabilities", { token: visitor.token })).body.capabilities;
    expect(capabilities["m.set_displayname"]).toEqual({ enabled: false });
    expect(capabilities["m.set_avatar_url"]).toEqual({ enabled: false });
    expectError(await env.server.request("PUT", `/_matrix/client/v3/profile/${visitor.userId}/displayname`, { token: visitor.token, body: { displayname: "x" } }), 403, "M_FORBIDDEN");
  });

  it("serves /.well-known/matrix/client with the public base URL, readable from any origin", async () => {
    const reply = await env.server.request("GET", "/.well-known/matrix/client", { headers: { origin: "https://app.element.io" } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ "m.homeserver": { base_url: PUBLIC_URL } });
    expect(reply.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers a CORS preflight on /_matrix/ with the spec's headers, without a token and without running the endpoint", async () => {
    const events = env.server.count("events");
    for (const [path, method] of [
      ["/_matrix/client/v3/sync", "GET"],
      ["/_matrix/client/v3/rooms/!r:localhost/send/m.room.message/t1", "PUT"],
      ["/_matrix/client/v3/createRoom", "POST"],
      ["/_matrix/media/v3/upload", "POST"],
    ]) {
      const reply = await env.server.request("OPTIONS", path, {
        headers: { origin: "https://app.element.io", "access-control-request-method": method, "access-control-request-headers": "authorization, content-type" },
      });
      expect(reply.status, path).toBeLessThan(300);
      expect(reply.headers.get("access-control-allow-origin")).toBe("*");
      const methods = reply.headers.get("access-control-allow-methods")!.split(",").map((m) => m.trim());
      expect(methods).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "DELETE", "OPTIONS"]));
      const headers = reply.headers.get("access-control-allow-headers")!.split(",").map((h) => h.trim().toLowerCase());
      expect(headers).toEqual(expect.arrayContaining(["x-requested-with", "content-type", "authorization"]));
    }
    expect(env.server.count("events")).toBe(events);
  });

  it("lets browsers read answers and errors alike on /_matrix/", async () => {
    const origin = { origin: "https://app.element.io" };
    const ok = await env.server.request("GET", "/_matrix/client/v3/account/whoami", { token: env.companion.token, headers: origin });
    expect(ok.body.user_id).toBe(env.companion.userId);
    expect(ok.headers.get("access-control-allow-origin")).toBe("*");
    const refused = expectError(await env.server.request("GET", "/_matrix/client/v3/account/whoami", { headers: origin }), 401, "M_MISSING_TOKEN");
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    const unknown = expectError(await env.server.request("GET", "/_matrix/client/v3/nothing/here", { headers: origin }), 404, "M_UNRECOGNIZED");
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers unknown endpoints 404 M_UNRECOGNIZED, with or without a token", async () => {
    for (const path of [
      "/_matrix/client/v3/nothing/here",
      "/_matrix/client/v1/auth_metadata",
      "/_matrix/client/unstable/org.matrix.msc0000/thing",
      "/_matrix/client/v3/rooms/!r:localhost/state/a/b/c",
      "/_matrix/media/v3/nothing",
      "/_matrix/federation/v1/version",
    ]) {
      expectError(await env.server.request("GET", path), 404, "M_UNRECOGNIZED");
      expectError(await env.server.request("GET", path, { token: env.companion.token }), 404, "M_UNRECOGNIZED");
    }
    expectError(await env.server.request("POST", "/_matrix/client/v3/nothing", { token: env.companion.token, body: {} }), 404, "M_UNRECOGNIZED");
    // Outside the API the web app answers, in plain text (http/client-app.test.ts).
    const outside = await env.server.request("GET", "/no/such/path");
    expect(outside.status).toBe(404);
    expect(outside.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("answers a known endpoint called with the wrong method 405 M_UNRECOGNIZED, and changes nothing", async () => {
    const before = env.server.count("events");
    for (const [method, path] of [
      ["DELETE", "/_matrix/client/v3/sync"],
      ["POST", "/_matrix/client/versions"],
      ["GET", "/_matrix/client/v3/createRoom"],
      ["POST", "/_matrix/client/v3/rooms/!r:localhost/send/m.room.message/t1"],
    ]) {
      expectError(await env.server.request(method, path), 405, "M_UNRECOGNIZED");
      expectError(await env.server.request(method, path, { token: env.companion.token, body: method === "GET" ? undefined : {} }), 405, "M_UNRECOGNIZED");
    }
    expect((await env.server.request("DELETE", "/_matrix/client/v3/sync")).headers.get("allow")).toBe("GET");
    expect(env.server.count("events")).toBe(before);
  });
});
