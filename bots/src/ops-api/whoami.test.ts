import { describe, expect, it } from "vitest";
import { WhoamiResolver } from "./whoami.ts";

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
  it("asks the homeserver's whoami on every call and remembers nothing (a logout ends access at once)", async () => {
    const hs = fakeHomeserver(ok);
    const tokens = new WhoamiResolver("http://hs.test", hs.fetchFn);
    expect(await tokens.resolve("tok")).toBe("@mina:test");
    expect(await tokens.resolve("tok")).toBe("@mina:test");
    expect(hs.seen).toEqual(["/_matrix/client/v3/account/whoami Bearer tok", "/_matrix/client/v3/account/whoami Bearer tok"]);
  });

  it("answers M_UNKNOWN_TOKEN for a token the homeserver refuses, and does not remember refusals", async () => {
    const hs = fakeHomeserver(() => Response.json({ errcode: "M_UNKNOWN_TOKEN", error: "x" }, { status: 401 }));
    const tokens = new WhoamiResolver("http://hs.test", hs.fetchFn);
    await expect(tokens.resolve("bad")).rejects.toMatchObject({ status: 401, errcode: "M_UNKNOWN_TOKEN" });
    await expect(tokens.resolve("bad")).rejects.toMatchObject({ errcode: "M_UNKNOWN_TOKEN" });
    expect(hs.seen).toHaveLength(2);
  });

  it("refuses a token that could not be a header value without asking", async () => {
    const hs = fakeHomeserver(ok);
    const tokens = new WhoamiResolver("http://hs.test", hs.fetchFn);
    await expect(tokens.resolve("a b\n")).rejects.toMatchObject({ errcode: "M_UNKNOWN_TOKEN" });
    expect(hs.seen).toEqual([]);
  });

  it("answers 502 when the homeserver cannot be asked", async () => {
    const down = new WhoamiResolver("http://hs.test", (async () => { throw new TypeError("fetch failed"); }) as unknown as typeof fetch);
    await expect(down.resolve("tok")).rejects.toMatchObject({ status: 502, errcode: "M_UNKNOWN" });
    const broken = new WhoamiResolver("http://hs.test", fakeHomeserver(() => new Response("oops", { status: 500 })).fetchFn);
    await expect(broken.resolve("tok")).rejects.toMatchObject({ status: 502 });
  });
});
