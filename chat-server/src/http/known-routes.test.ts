import { describe, expect, it } from "vitest";
import { routeMatcher, routeMethods } from "./known-routes.ts";

describe("routeMatcher", () => {
  const known = routeMatcher([
    { method: "ALL", path: "*" },
    { method: "GET", path: "/_matrix/client/v3/rooms/:roomId/state/:type/:stateKey?" },
    { method: "PUT", path: "/_matrix/client/v3/rooms/:roomId/send/:type/:txnId" },
    { method: "GET", path: "/_matrix/media/v3/download/*" },
  ]);

  it("matches parameters, optional parameters, wildcards and trailing slashes", () => {
    expect(known("GET", "/_matrix/client/v3/rooms/!r:x/state/m.room.name")).toBe(true);
    expect(known("GET", "/_matrix/client/v3/rooms/!r:x/state/m.room.member/@a:x")).toBe(true);
    expect(known("HEAD", "/_matrix/client/v3/rooms/!r:x/state/m.room.name/")).toBe(true);
    expect(known("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/1")).toBe(true);
    expect(known("GET", "/_matrix/media/v3/download/x/y/z")).toBe(true);
  });

  it("rejects other methods, extra segments and middleware-only paths", () => {
    expect(known("POST", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/1")).toBe(false);
    expect(known("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message")).toBe(false);
    expect(known("GET", "/_matrix/client/v3/rooms/!r:x/state/a/b/c")).toBe(false);
    expect(known("GET", "/_matrix/client/v1/auth_metadata")).toBe(false);
  });

  it("lists the methods routed at a path, for 405 answers", () => {
    const methodsAt = routeMethods([
      { method: "ALL", path: "*" },
      { method: "GET", path: "/_matrix/client/v3/devices/:deviceId" },
      { method: "PUT", path: "/_matrix/client/v3/devices/:deviceId" },
      { method: "DELETE", path: "/_matrix/client/v3/devices/:deviceId" },
    ]);
    expect(methodsAt("/_matrix/client/v3/devices/ABC")).toEqual(["GET", "PUT", "DELETE"]);
    expect(methodsAt("/_matrix/client/v3/devices")).toEqual([]);
  });
});
