/** The limit on password guesses at `/login` (issue 21). */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TestServer } from "../../test/harness.ts";

const PASSWORD = "correct horse battery";

describe("login guesses", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  const login = (user: string, password: string) =>
    server.request("POST", "/_matrix/client/v3/login", { body: { type: "m.login.password", identifier: { type: "m.id.user", user }, password } });

  it("reserves each guess before verifying it: of 60 sent at once only the limit's 10 are verified, and the right password sent next is refused unverified", async () => {
    const account = await server.createAccount("companion", "concurrent-target", PASSWORD);
    const verify = vi.spyOn(server.hs.accounts, "checkPassword");
    try {
      const wrong = Array.from({ length: 60 }, (_, i) => login(account.userId, `wrong-guess-${i}`));
      // The limit is reached once 10 guesses are being verified: the right password comes after them.
      await vi.waitFor(() => expect(verify.mock.calls.length).toBeGreaterThanOrEqual(10));
      const right = await login(account.userId, PASSWORD);
      const statuses = (await Promise.all(wrong)).map((reply) => reply.status);
      expect(right.status).toBe(429);
      expect(right.body.errcode).toBe("M_LIMIT_EXCEEDED");
      expect(statuses.filter((s) => s === 403)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50);
      expect(verify).toHaveBeenCalledTimes(10);
    } finally {
      verify.mockRestore();
    }
  });
});
