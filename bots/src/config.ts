/** Bots service settings, from the environment variables of DESIGN.md "Running it" and README. */
import { resolve } from "node:path";
import { envInt, servicePorts } from "@onsafe/schema";

/** The service's time zone unless `ONSAFE_TIME_ZONE` says otherwise. */
export const DEFAULT_TIME_ZONE = "Asia/Seoul";

/**
 * The shortest retention of closed cases, in days. The expected wait looks back
 * 14 days at assignments and the supervisor's figures 7 (+1 for time zones), so
 * below this the sweep would change what they count. A smaller value stops the
 * start: 0 must never mean "erase at once" (docs/QUEUE.md "Retention").
 */
export const MIN_CLOSED_CASE_RETENTION_DAYS = 14;

/** The Matrix Push Gateway API's notify route, served by the bots service (docs/CRISIS.md "Push"). */
export const PUSH_NOTIFY_PATH = "/_matrix/push/v1/notify";

/** Opening hours shown to victims: the service is open whenever a companion is on shift; this only says when it usually is. */
export interface ServiceHours {
  /** IANA time zone the hours are in. */
  timeZone: string;
  /** Days of the week (0 = Sunday) the service usually opens. */
  days: number[];
  /** "HH:MM" local opening and closing times. */
  opens: string;
  closes: string;
}

export interface BotsConfig {
  /** The homeserver the bots log in to (ours by default). */
  homeserverUrl: string;
  /** Matrix server name, for building bot user ids before login. */
  serverName: string;
  dataDir: string;
  /** Port of the ops API (the homeserver proxies `/_onsafe/` to it). */
  port: number;
  host: string;
  /** How long a companion has to accept an offered case before it moves on. */
  offerTimeoutMs: number;
  /** How often lapsed offers are looked for. */
  offerCheckMs: number;
  /** How long a victim's message may wait for its room key before the bot asks them to send it again. */
  keyWaitMs: number;
  /** Default capacity (simultaneous cases) of a companion without one set. */
  defaultCapacity: number;
  /** Appointments a day a companion takes without their own setting (docs/SCHEDULING.md). */
  defaultVisitsPerDay: number;
  /** How often due appointment and referral reminders are looked for. */
  reminderCheckMs: number;
  /** How long a partner has to accept a referral before its companion is reminded (docs/REFERRALS.md). */
  referralAcceptMs: number;
  /** How long after its last activity a closed case is erased from the bots database (docs/QUEUE.md "Retention"). */
  closedCaseRetentionMs: number;
  /** How often the retention sweep runs (also once at start). */
  retentionCheckMs: number;
  /** An unacknowledged crisis alert is paged to everyone on shift this long after it was raised (docs/CRISIS.md "The alert"). */
  crisisEscalateMs: number;
  /** …and to the on-call list this long after it was raised (at least `crisisEscalateMs`). */
  crisisOnCallMs: number;
  /** How often crisis alerts are looked at for escalation (also once at start). */
  alertCheckMs: number;
  hours: ServiceHours;
  push: PushSettings;
}

/** The Web Push gateway's settings (docs/CRISIS.md "Push"). */
export interface PushSettings {
  /** The URL the consoles' pushers name and the homeserver posts to: the bots service's notify route unless `ONSAFE_PUSH_GATEWAY_URL` says otherwise (the homeserver reads the same setting). */
  gatewayUrl: string;
  /** The VAPID `sub` claim (RFC 8292): how a push service reaches the operator. */
  vapidSubject: string;
  /** Path of a PEM file of extra CAs to trust for push services (the tests' local push service); unset: the usual roots only. */
  extraCaFile: string | undefined;
  /** Test mode: push services on loopback and private addresses are allowed (the homeserver reads the same setting). */
  allowPrivateEndpoints: boolean;
}

export function botsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BotsConfig {
  const ports = servicePorts(env);
  return {
    homeserverUrl: env.ONSAFE_HOMESERVER_URL ?? `http://127.0.0.1:${ports.public}`,
    serverName: env.ONSAFE_SERVER_NAME ?? "localhost",
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.ONSAFE_DATA_DIR ?? "./data"),
    port: ports.bots,
    host: "127.0.0.1",
    offerTimeoutMs: envInt(env, "ONSAFE_OFFER_TIMEOUT_SECONDS", 120) * 1000,
    offerCheckMs: 5_000,
    keyWaitMs: 30_000,
    defaultCapacity: envInt(env, "ONSAFE_DEFAULT_CAPACITY", 3),
    defaultVisitsPerDay: envInt(env, "ONSAFE_VISITS_PER_DAY", 3),
    reminderCheckMs: 60_000,
    referralAcceptMs: envInt(env, "ONSAFE_REFERRAL_ACCEPT_HOURS", 48) * 3_600_000,
    closedCaseRetentionMs: envInt(env, "ONSAFE_CLOSED_CASE_RETENTION_DAYS", 90, MIN_CLOSED_CASE_RETENTION_DAYS) * 86_400_000,
    retentionCheckMs: 3_600_000,
    crisisEscalateMs: envInt(env, "ONSAFE_CRISIS_ESCALATE_SECONDS", 120) * 1000,
    crisisOnCallMs: envInt(env, "ONSAFE_CRISIS_ON_CALL_SECONDS", 300) * 1000,
    alertCheckMs: 1_000,
    hours: {
      timeZone: env.ONSAFE_TIME_ZONE ?? DEFAULT_TIME_ZONE,
      days: [1, 2, 3, 4, 5],
      opens: "09:00",
      closes: "18:00",
    },
    push: {
      // The same default as the homeserver's (chat-server/src/config.ts botsUrl): both must name one URL.
      gatewayUrl: env.ONSAFE_PUSH_GATEWAY_URL || `${env.ONSAFE_BOTS_URL ?? `http://127.0.0.1:${ports.bots}`}${PUSH_NOTIFY_PATH}`,
      vapidSubject: env.ONSAFE_VAPID_SUBJECT || `mailto:operator@${env.ONSAFE_SERVER_NAME ?? "localhost"}`,
      extraCaFile: env.ONSAFE_PUSH_EXTRA_CA_FILE ? resolve(env.INIT_CWD ?? process.cwd(), env.ONSAFE_PUSH_EXTRA_CA_FILE) : undefined,
      allowPrivateEndpoints: env.ONSAFE_PUSH_ALLOW_PRIVATE_ENDPOINTS === "1",
    },
  };
}
