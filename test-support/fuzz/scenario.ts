/**
 * The world a fuzz run attacks: a homeserver in a child process (a crash is
 * an exit), an owner with an encrypted room and a few sent messages, another
 * visitor, and a logged-out token. Built with valid requests before the
 * database's fingerprint is taken.
 */
import { join } from "node:path";
import { createApp } from "../../chat-server/src/app.ts";
import { configFromEnv } from "../../chat-server/src/config.ts";
import type { Homeserver } from "../../chat-server/src/services/homeserver.ts";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { TestServer } from "../../chat-server/test/harness.ts";
import { generate, type FuzzContext } from "./requests.ts";
import { fingerprint, runFuzz, type FuzzReport } from "./runner.ts";

export interface FuzzRun {
  report: FuzzReport;
  before: Record<string, string>;
  after: Record<string, string>;
  /** Whether the server still answers a valid request after the run. */
  alive: boolean;
}

/** The app's routes, read from an app built over a stand-in homeserver (building it calls no service). */
function appRoutes() {
  const standIn = { config: configFromEnv({}), accounts: {} } as unknown as Homeserver;
  return createApp(standIn).routes;
}

export async function fuzzHomeserver(seed: number, count: number, concurrency = 16): Promise<FuzzRun> {
  const server = await TestServer.startProcess({ visitorRegistrationsPerWindow: 1000, visitorSendsPerMinute: 1_000_000, visitorEphemeralPerMinute: 1_000_000 });
  try {
    const owner = await server.registerVisitor();
    const foreign = await server.registerVisitor();
    const bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    const gone = await server.registerVisitor();
    await server.call(gone, "POST", "/logout", {});
    const roomId = await server.createVisitorRoom(owner, bot);
    const sent: FuzzContext["sent"] = [];
    for (const txnId of ["t1", "t2", "t3"]) {
      const reply = await server.call(owner, "PUT", `/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/${txnId}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: `first ${txnId}` });
      if (reply.status !== 200) throw new Error(`setup send failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      sent.push({ txnId, eventId: reply.body.event_id });
    }
    const context: FuzzContext = { routes: appRoutes(), owner, foreign, expiredToken: gone.token, roomId, eventId: sent[0]!.eventId, sent, maxJsonBytes: server.config.maxJsonBytes };
    const databaseFile = join(server.config.dataDir, "homeserver.sqlite");
    const before = fingerprint(databaseFile);
    const report = await runFuzz(server.url, generate(context, seed, count), concurrency);
    const after = fingerprint(databaseFile);
    const whoami = await server.call(owner, "GET", "/account/whoami").catch(() => undefined);
    return { report, before, after, alive: whoami?.status === 200 && whoami.body.user_id === owner.userId };
  } finally {
    await server.close();
  }
}
