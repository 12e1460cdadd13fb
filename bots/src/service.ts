/**
 * The bots service: the bots database and queue, the triage bot (a Matrix
 * client with its crypto store kept on disk), the ops API and the offer timer,
 * started and stopped together. Used by `main.ts` and by the tests.
 */
import { join } from "node:path";
import type { BotsConfig } from "./config.ts";
import { loadCrisisLines } from "./content/crisis-lines.ts";
import { createOpsApi, startOpsApi, WhoamiResolver } from "./ops-api/index.ts";
import { type Clock, createQueue, type Queue, startOfferTimer, systemClock } from "./queue/index.ts";
import { createBotClient, type BotClient } from "./runtime/bot-client.ts";
import { loadBotsSecrets, registrationSecret } from "./runtime/bot-secrets.ts";
import { loginBot } from "./runtime/login.ts";
import { forgetInMemory, IndexedDbMirror } from "./runtime/persistent-indexeddb.ts";
import { botsTables, openBotsStore } from "./storage/index.ts";
import { DutyRoom } from "./triage-bot/duty-room.ts";
import { MatrixRoomActions } from "./triage-bot/room-actions.ts";
import { TriageBot } from "./triage-bot/triage-bot.ts";

export interface RunningBots {
  /** The ops API's own address (the homeserver forwards `/_onsafe/` here). */
  url: string;
  port: number;
  triageUserId: string;
  queue: Queue;
  triage: BotClient;
  close(): Promise<void>;
}

export async function startBotsService(config: BotsConfig, clock: Clock = systemClock): Promise<RunningBots> {
  const store = await openBotsStore(config.dataDir);
  const tables = botsTables(store);
  const secrets = loadBotsSecrets(config.dataDir);
  const mirror = IndexedDbMirror.open(join(config.dataDir, "bots-crypto.sqlite"));
  await mirror.restore();

  const session = await loginBot(config.homeserverUrl, "triage", secrets.bots.triage, registrationSecret(config.dataDir));
  const storePrefix = "onsafe-triage";
  const triage = await createBotClient({
    homeserverUrl: config.homeserverUrl,
    session,
    storePrefix,
    storePassphrase: secrets.cryptoStorePassphrase,
    mirror,
  });
  const actions = new MatrixRoomActions(triage.client, new DutyRoom(triage.client, tables.meta), (caseId, eventId) => {
    queue.cases.setQueueNotice(caseId, eventId);
  });
  const queue = createQueue({
    tables, clock, actions,
    offerTimeoutMs: config.offerTimeoutMs,
    defaultCapacity: config.defaultCapacity,
    timeZone: config.hours.timeZone,
  });
  const bot = new TriageBot(triage.client, queue, config);
  await triage.start();
  bot.resume();

  const app = createOpsApi({ config, queue, crisisLines: loadCrisisLines(), tokens: new WhoamiResolver(config.homeserverUrl) });
  const api = await startOpsApi(app, { host: config.host, port: config.port });
  const stopOfferTimer = startOfferTimer(queue.cases, config.offerCheckMs);
  // Offers that lapsed while the service was down.
  await queue.cases.expireOffers();

  return {
    url: api.url,
    port: api.port,
    triageUserId: session.userId,
    queue,
    triage,
    async close() {
      stopOfferTimer();
      await api.close();
      await bot.stop();
      triage.stop();
      mirror.close();
      await forgetInMemory(storePrefix);
      store.close();
    },
  };
}
