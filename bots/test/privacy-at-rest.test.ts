/**
 * Privacy at rest (issue 10, item 5; docs/THREAT_MODEL.md): a whole
 * conversation (triage, a companion, messages both ways) through our
 * homeserver and the bots service, by clients that send a user agent and a
 * forwarded client address as a browser behind a proxy would. Afterwards no
 * file of the data directory and nothing the services logged holds a word of
 * the conversation, the client address, the user agent or an access token;
 * and every file the services made is owner-only.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { answerTriage, eventually } from "./conversation.ts";
import { Stack } from "./stack.ts";

const USER_AGENT = "Mozilla/5.0 (Linux; Android 14; onsafe-probe-UA-5b1e) Mobile Safari/537.36";
const CLIENT_ADDRESS = "203.0.113.77";
const VICTIM_SAYS = "그 사람이 사진을 올리겠다고 협박해요 marker-v-81c2";
const COMPANION_SAYS = "I am here with you. Let's look at the options together marker-c-4d9a";

const browserLike: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("user-agent", USER_AGENT);
  headers.set("x-forwarded-for", CLIENT_ADDRESS);
  headers.set("x-real-ip", CLIENT_ADDRESS);
  return fetch(input, { ...init, headers });
};

let stack: Stack;
const logged: string[] = [];
const tokens: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  // Everything the services write to the console in this process is what they would log (vitest
  // routes console calls around the process streams, so both are taken).
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      logged.push(format(...args));
      original.apply(console, args);
    };
    restore.push(() => { console[method] = original; });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => { stream.write = write; });
  }
  stack = await Stack.start();
}, 120_000);
afterAll(async () => {
  await stack?.close();
  for (const undo of restore) undo();
});

describe("privacy at rest after a whole conversation", () => {
  it("keeps no words, client address, user agent or token in any file or log, and every file owner-only", async () => {
    const minaAccount = await stack.hs.createAccount("companion", "mina");
    await stack.bots.queue.staff.addOrUpdateStaff({ userId: minaAccount.userId, kind: "companion", displayName: "mina", languages: ["ko", "en"] });
    const mina = await SdkClient.start(stack.hs.url, minaAccount, { fetchFn: browserLike });
    await stack.setShift(minaAccount, true);
    const victimAccount = await stack.hs.registerVisitor();
    const victim = await SdkClient.start(stack.hs.url, victimAccount, { fetchFn: browserLike });
    tokens.push(minaAccount.token, victimAccount.token);

    const roomId = await stack.startConversation(victim);
    await answerTriage(victim, roomId, stack.triageBot, [["language", "I just want to talk to someone"]]);
    await mina.waitForRoom(roomId, "invite");
    await mina.client.joinRoom(roomId);
    await victim.sendText(roomId, VICTIM_SAYS);
    await mina.waitForMessage(roomId, VICTIM_SAYS);
    await mina.sendText(roomId, COMPANION_SAYS);
    await victim.waitForMessage(roomId, COMPANION_SAYS);
    const caseId = stack.bots.queue.cases.getByRoom(roomId)!.id;
    await eventually(() => stack.ops(minaAccount, "GET", `/cases/${caseId}`), (r) => r.body.case?.status === "assigned", "the case to be mina's");
    victim.stop();
    mina.stop();

    const secrets = [VICTIM_SAYS, "marker-v-81c2", COMPANION_SAYS, "marker-c-4d9a", CLIENT_ADDRESS, "onsafe-probe-UA-5b1e", ...tokens];
    const dataDir = stack.config.dataDir;
    const files = (readdirSync(dataDir, { recursive: true }) as string[]).filter((name) => statSync(join(dataDir, name)).isFile());
    expect(files.length).toBeGreaterThan(3);
    for (const name of files) {
      const bytes = readFileSync(join(dataDir, name));
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 24)}… in ${name}`).toBe(false);
      // Owner-only: no group or other permission bits.
      expect(statSync(join(dataDir, name)).mode & 0o077, `${name} is readable by others`).toBe(0);
    }
    const log = logged.join("");
    for (const secret of secrets) expect(log.includes(secret), `${secret.slice(0, 24)}… in the logs`).toBe(false);
    // The control: the words did travel (as ciphertext) and were read on the other side.
    expect(victim.bodies(roomId)).toContain(COMPANION_SAYS);
  });
});
