/**
 * The bots service: the bots database and queue, the triage, scheduling and
 * referral bots (Matrix clients with their crypto stores kept on disk), the ops API,
 * the offer and reminder timers and the retention sweep, started and stopped together. Used by `main.ts` and by the tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WEB_PUSH_APP_ID } from "@onsafe/schema";
import type { BotsConfig } from "./config.ts";
import { loadCrisisLines } from "./content/crisis-lines.ts";
import { CrisisAlerts, startAlertTimer } from "./crisis/crisis-alerts.ts";
import { createOpsApi, startOpsApi, WhoamiResolver } from "./ops-api/index.ts";
import { PartnerDirectory } from "./partners/directory.ts";
import { type Clock, createQueue, type Queue, startOfferTimer, systemClock } from "./queue/index.ts";
import { createBotClient, type BotClient } from "./runtime/bot-client.ts";
import { loadBotsSecrets, registrationSecret } from "./runtime/bot-secrets.ts";
import { startBotSession } from "./runtime/login.ts";
import { forgetInMemory, IndexedDbMirror } from "./runtime/persistent-indexeddb.ts";
import { botsTables, openBotsStore } from "./storage/index.ts";
import { DutyRoom } from "./triage-bot/duty-room.ts";
import { MatrixRoomActions } from "./triage-bot/matrix-room-actions.ts";
import { MatrixPager } from "./triage-bot/pager-rooms.ts";
import { TriageBot } from "./triage-bot/triage-bot.ts";
import { Reminders, startReminderTimer } from "./scheduling/reminders.ts";
import { Scheduler } from "./scheduling/scheduler.ts";
import { MatrixAppointmentRooms } from "./scheduling-bot/appointment-rooms.ts";
import { SchedulingBot } from "./scheduling-bot/scheduling-bot.ts";
import { ReferralBot } from "./referral-bot/referral-bot.ts";
import { MatrixDeskRooms } from "./referral-bot/desk-rooms.ts";
import { MatrixReferralRooms } from "./referral-bot/referral-rooms.ts";
import { ReferralDesks } from "./referrals/desk.ts";
import { MyReferrals } from "./referrals/my-referrals.ts";
import { Referrals } from "./referrals/referral-flow.ts";
import { ReferralReminders } from "./referrals/reminders.ts";
import { MatrixRoomExits } from "./retention/bot-exits.ts";
import { ClosedCaseRetention, startRetentionTimer } from "./retention/closed-cases.ts";
import { PushGateway } from "./push/push-gateway.ts";
import { loadVapidKeys } from "./push/vapid-keys.ts";

export interface RunningBots {
  /** The ops API's own address (the homeserver forwards `/_onsafe/` here). */
  url: string;
  port: number;
  triageUserId: string;
  schedulingUserId: string;
  queue: Queue;
  scheduler: Scheduler;
  reminders: Reminders;
  triage: BotClient;
  scheduling: BotClient;
  referral: BotClient;
  referralUserId: string;
  /** Crisis alerts: who sees which, acknowledgement, escalation by pages (docs/CRISIS.md); escalated every `alertCheckMs` and once at start. */
  alerts: CrisisAlerts;
  /** The closed cases' retention sweep (docs/QUEUE.md "Retention"); runs at start and every `retentionCheckMs`. */
  retention: ClosedCaseRetention;
  close(): Promise<void>;
}

const storePrefixes = { triage: "onsafe-triage", scheduling: "onsafe-scheduling", referral: "onsafe-referral" } as const;

export async function startBotsService(config: BotsConfig, clock: Clock = systemClock): Promise<RunningBots> {
  const store = await openBotsStore(config.dataDir);
  const tables = botsTables(store);
  const secrets = loadBotsSecrets(config.dataDir);
  const mirror = IndexedDbMirror.open(join(config.dataDir, "bots-crypto.sqlite"));
  await mirror.restore();

  const startClient = async (name: keyof typeof storePrefixes) => {
    // The token kept from the last start when it is still good: a restart does not log in (guesses at a bot's id cannot stop it).
    const session = await startBotSession(config.homeserverUrl, config.dataDir, name, secrets.bots[name], registrationSecret(config.dataDir));
    const client = await createBotClient({
      homeserverUrl: config.homeserverUrl,
      session,
      storePrefix: storePrefixes[name],
      storePassphrase: secrets.cryptoStorePassphrase,
      mirror,
    });
    return { session, client };
  };
  const { session, client: triage } = await startClient("triage");
  const { session: schedulingSession, client: scheduling } = await startClient("scheduling");
  const { session: referralSession, client: referral } = await startClient("referral");
  const duty = new DutyRoom(triage.client, tables.meta);
  const actions = new MatrixRoomActions(triage.client, duty, (caseId, eventId) => {
    queue.cases.setQueueNotice(caseId, eventId);
  });
  const queue = createQueue({
    tables, clock, actions,
    offerTimeoutMs: config.offerTimeoutMs,
    defaultCapacity: config.defaultCapacity,
    timeZone: config.hours.timeZone,
  });
  const alerts = new CrisisAlerts(tables, clock, new MatrixPager(triage.client, tables, clock), { escalateMs: config.crisisEscalateMs, onCallMs: config.crisisOnCallMs });
  const bot = new TriageBot(triage.client, queue, config);
  await triage.start();
  bot.resume();

  const rooms = new MatrixAppointmentRooms(scheduling.client, tables, clock);
  const scheduler = new Scheduler(tables, clock, rooms, config.hours.timeZone, config.defaultVisitsPerDay);
  const reminders = new Reminders(tables, clock, rooms, config.hours.timeZone, scheduler.caseOrder);
  const schedulingBot = new SchedulingBot(scheduling.client, tables, scheduler, config.keyWaitMs);
  await scheduling.start();
  schedulingBot.resume();
  const stopReminders = startReminderTimer(reminders, config.reminderCheckMs);

  const partners = new PartnerDirectory(tables, clock);
  const referrals = new Referrals(tables, clock, new MatrixReferralRooms(referral.client), (id) => tables.partners.byId(id), config.hours.timeZone);
  const desks = new ReferralDesks(tables, clock, new MatrixDeskRooms(referral.client), referrals);
  const referralBot = new ReferralBot(referral.client, tables, referrals, desks, config.keyWaitMs);
  await referral.start();
  referralBot.resume();
  const referralReminders = new ReferralReminders(tables, clock, config.referralAcceptMs, (userIds, body, alert) => duty.notify(userIds, body, alert));
  const stopReferralReminders = startReminderTimer(referralReminders, config.reminderCheckMs, "referrals");

  const vapid = loadVapidKeys(config.dataDir);
  const gateway = new PushGateway({
    vapid,
    subject: config.push.vapidSubject,
    extraCa: config.push.extraCaFile ? readFileSync(config.push.extraCaFile, "utf8") : undefined,
    allowPrivateEndpoints: config.push.allowPrivateEndpoints,
    isPagerRoom: (roomId) => tables.pagerRooms.isPagerRoom(roomId),
  });
  const push = { gateway, config: { gateway_url: config.push.gatewayUrl, app_id: WEB_PUSH_APP_ID, vapid_public_key: vapid.publicKey } };
  const app = createOpsApi({ config, queue, scheduler, partners, referrals, myReferrals: new MyReferrals(tables), crisisLines: loadCrisisLines(), alerts, tokens: new WhoamiResolver(config.homeserverUrl), push });
  const api = await startOpsApi(app, { host: config.host, port: config.port });
  const stopOfferTimer = startOfferTimer(queue.cases, config.offerCheckMs);
  const stopAlertTimer = startAlertTimer(alerts, config.alertCheckMs);
  // Alerts that fell due while the service was down; not awaited: a page waits for its room to sync.
  alerts.escalateDue().catch((error: Error) => console.error(`crisis: escalating alerts failed: ${error.message.slice(0, 200)}`));
  // Offers that lapsed while the service was down.
  await queue.cases.expireOffers();
  const retention = new ClosedCaseRetention(tables, clock, config.closedCaseRetentionMs, new MatrixRoomExits([triage.client, scheduling.client, referral.client]));
  const stopRetention = startRetentionTimer(retention, config.retentionCheckMs);

  return {
    url: api.url,
    port: api.port,
    triageUserId: session.userId,
    schedulingUserId: schedulingSession.userId,
    queue,
    scheduler,
    reminders,
    triage,
    scheduling,
    referral,
    referralUserId: referralSession.userId,
    retention,
    alerts,
    async close() {
      stopOfferTimer();
      await stopAlertTimer();
      alerts.feed.stop();
      stopReminders();
      stopReferralReminders();
      await stopRetention();
      await api.close();
      await bot.stop();
      await schedulingBot.stop();
      await referralBot.stop();
      triage.stop();
      scheduling.stop();
      referral.stop();
      mirror.close();
      for (const prefix of Object.values(storePrefixes)) await forgetInMemory(prefix);
      store.close();
    },
  };
}
