import { describe, expect, it } from "vitest";
import { FakeClock } from "../queue/test-fixture.ts";
import { WHOAMI_CACHE_MS, WhoamiResolver } from "./whoami.ts";

function fakeHomeserver(reply: () => Response | Promise<Response>) {
  const seen: string[] = [];
  const fetchFn = (async (url: URL, init: RequestInit) => {
    seen.push(`${url.pathname} ${(init.headers as Record<string, string>).authorization}`);
    return reply();
  }) as unknown as typeof fetch;
  return { seen, fetchFn };
}

const ok = () => Response.json({ user_id: "@mina:test", device_id: "D" });

describe("WhoamiResolver", () => {
  it("asks the homeserver's whoami and keeps the answer for 30 s", async () => {
    const hs = fakeHomeserver(ok);
    const clock = new FakeClock();
    const tokens = new WhoamiResolver("http://hs.test", clock, hs.fetchFn);
    expect(await tokens.resolve("tok")).toBe("@mina:test");
    clock.advance(WHOAMI_CACHE_MS - 1);
    expect(await tokens.resolve("tok")).toBe("@mina:test");
    expect(hs.seen).toEqual(["/_matrix/client/v3/account/whoami Bearer tok"]);
    clock.advance(1);
    await tokens.resolve("tok");
    expect(hs.seen).toHaveLength(2);
  });

  it("answers M_UNKNOWN_TOKEN for a token the homeserver refuses, and does not remember refusals", async () => {
    const hs = fakeHomeserver(() => Response.json({ errcode: "M_UNKNOWN_TOKEN", error: "x" }, { status: 401 }));
    const tokens = new WhoamiResolver("http://hs.test", new FakeClock(), hs.fetchFn);
    await expect(tokens.resolve("bad")).rejects.toMatchObject({ status: 401, errcode: "M_UNKNOWN_TOKEN" });
    await expect(tokens.resolve("bad")).rejects.toMatchObject({ errcode: "M_UNKNOWN_TOKEN" });
    expect(hs.seen).toHaveLength(2);
  });

  it("refuses a token that could not be a header value without asking", async () => {
    const hs = fakeHomeserver(ok);
    const tokens = new WhoamiResolver("http://hs.test", new FakeClock(), hs.fetchFn);
    await expect(tokens.resolve("a b\n")).rejects.toMatchObject({ errcode: "M_UNKNOWN_TOKEN" });
    expect(hs.seen).toEqual([]);
  });

  it("answers 502 when the homeserver cannot be asked", async () => {
    const down = new WhoamiResolver("http://hs.test", new FakeClock(), (async () => { throw new TypeError("fetch failed"); }) as unknown as typeof fetch);
    await expect(down.resolve("tok")).rejects.toMatchObject({ status: 502, errcode: "M_UNKNOWN" });
    const broken = new WhoamiResolver("http://hs.test", new FakeClock(), fakeHomeserver(() => new Response("oops", { status: 500 })).fetchFn);
    await expect(broken.resolve("tok")).rejects.toMatchObject({ status: 502 });
  });
});
