/**
 * Set-up shared by `describe` blocks: one server per block, with the staff and
 * bot accounts its tests use. Built on the harness; this file alone needs vitest.
 */
import { afterAll, beforeAll } from "vitest";
import type { AccountKind } from "@onsafe/schema";
import type { Config } from "../src/config.ts";
import { type Account, TestServer } from "./harness.ts";

/** What `TestServer.createAccount` takes: the kind, the username and, where a test logs in with it, the password. */
export type AccountSpec = [kind: Exclude<AccountKind, "visitor">, username: string, password?: string];

/** The block's server and its accounts by name. */
export type ServerWithAccounts<Name extends string> = { server: TestServer } & Record<Name, Account>;

/**
 * Starts a server before the tests of the enclosing `describe` block, creates
 * `accounts` on it in the order given, and closes it after the last test.
 * Call it at the top of the block; the fields are filled in by `beforeAll`, so
 * read them inside tests, hooks and the helpers they call, not while the block
 * is being declared.
 *
 * ```ts
 * const env = serverWithAccounts({ triage: ["bot", BOT_LOCALPARTS.triage], companion: ["companion", "sora"] });
 * it("...", async () => { const visitor = await env.server.registerVisitor(); ... env.triage.userId ... });
 * ```
 */
export function serverWithAccounts<Name extends string>(accounts: Record<Name, AccountSpec>, config: Partial<Config> = {}): ServerWithAccounts<Name> {
  const env = {} as ServerWithAccounts<Name>;
  beforeAll(async () => {
    env.server = await TestServer.start(config);
    for (const [name, [kind, username, password]] of Object.entries(accounts) as [Name, AccountSpec][]) {
      (env as Record<Name, Account>)[name] = await env.server.createAccount(kind, username, password);
    }
  });
  afterAll(async () => { await env.server?.close(); });
  return env;
}
