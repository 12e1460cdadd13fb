/** Homeserver settings, from the environment variables named in DESIGN.md "Running it". */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { envInt, servicePorts } from "@onsafe/schema";

export interface Config {
  port: number;
  /** Address to listen on; loopback unless told otherwise. */
  host: string;
  dataDir: string;
  serverName: string;
  /** Public base URL clients use, for `.well-known` and printed on start. */
  publicBaseUrl: string;
  /** The bots service, to which `/_onsafe/` is forwarded. */
  botsUrl: string;
  /** The built web app (Vite's output), served at `/`. */
  clientDir: string;
  maxUploadBytes: number;
  maxJsonBytes: number;
  /** Longest a `/sync` long-poll may wait, in ms. */
  maxSyncTimeoutMs: number;
  /** Anonymous visitor registrations allowed per client address per window. */
  visitorRegistrationsPerWindow: number;
  visitorRegistrationWindowMs: number;
  visitorMaxRooms: number;
  /** Room events (messages, redactions, state, membership changes) one visitor may send per minute. */
  visitorSendsPerMinute: number;
  /** Wrong passwords (`/login` and password confirmations together) allowed per client address in each window (`loginFailureWindowMs`). */
  loginFailuresPerWindow: number;
  loginFailureWindowMs: number;
  /** Wrong passwords per client address before each further guess must wait `loginBackoffMs`, doubled with each failure. */
  loginFailuresBeforeBackoff: number;
  loginBackoffMs: number;
  maxSyncsPerUser: number;
  /** To-device messages one `/sync` answer carries at most; the rest wait for the next. */
  toDevicePerSync: number;
  /** Account data entries (global and per room, read markers aside) one account may keep. */
  accountDataMaxEntries: number;
  /** Bytes of account data content one account may keep (every initial sync carries it all). */
  accountDataMaxBytes: number;
  /** Bytes of one to-device message's content. */
  toDeviceMaxMessageBytes: number;
  /** To-device messages (from anyone) that may wait for one device; past it senders get 429. */
  toDeviceMaxPendingPerDevice: number;
  /** One-time keys one device may keep. */
  maxOneTimeKeysPerDevice: number;
  /** Days a visitor account may stay unused before it is deleted with its conversations (docs/RETENTION.md). */
  visitorRetentionDays: number;
  /** UIA sessions, and admin-registration nonces, kept in memory at once (each table); when full the oldest goes. */
  maxPendingAuth: number;
  /** Longest a JSON request body may take to arrive, in ms; slower ones get 408 and the connection is closed. */
  bodyTimeoutMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const ports = servicePorts(env);
  const port = ports.public;
  const host = env.ONSAFE_HOST ?? "127.0.0.1";
  const serverName = env.ONSAFE_SERVER_NAME ?? "localhost";
  // npm runs workspace scripts inside the workspace; INIT_CWD is where `npm start` was typed.
  const cwd = env.INIT_CWD ?? process.cwd();
  return {
    port,
    host,
    dataDir: resolve(cwd, env.ONSAFE_DATA_DIR ?? "./data"),
    serverName,
    publicBaseUrl: env.ONSAFE_PUBLIC_URL ?? `http://localhost:${port}`,
    botsUrl: env.ONSAFE_BOTS_URL ?? `http://127.0.0.1:${ports.bots}`,
    // This file runs from chat-server/src (tests) or chat-server/dist (the bundle): the repository is two levels up either way.
    clientDir: env.ONSAFE_CLIENT_DIR
      ? resolve(cwd, env.ONSAFE_CLIENT_DIR)
      : fileURLToPath(new URL("../../chat-client/dist", import.meta.url)),
    maxUploadBytes: envInt(env, "ONSAFE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024),
    maxJsonBytes: 1024 * 1024,
    maxSyncTimeoutMs: 30_000,
    visitorRegistrationsPerWindow: envInt(env, "ONSAFE_VISITOR_REGISTRATIONS_PER_HOUR", 20),
    visitorRegistrationWindowMs: 60 * 60 * 1000,
    /** Rooms one visitor may create in all (a conversation each; the bots create the others). */
    visitorMaxRooms: envInt(env, "ONSAFE_VISITOR_MAX_ROOMS", 10),
    /** Far above a person typing or sharing a batch of screenshots; a script flooding a companion hits it. */
    visitorSendsPerMinute: envInt(env, "ONSAFE_VISITOR_SENDS_PER_MINUTE", 60),
    /** Recovery codes must not be guessable; a person mistyping theirs needs a few tries. */
    loginFailuresPerWindow: envInt(env, "ONSAFE_LOGIN_FAILURES_PER_WINDOW", 10, 1),
    loginFailureWindowMs: 15 * 60 * 1000,
    /** A person mistyping gets 3 tries at once, then 1 s, 2 s, 4 s…: a script gets its 10 guesses in about two minutes, not at once. */
    loginFailuresBeforeBackoff: envInt(env, "ONSAFE_LOGIN_FAILURES_BEFORE_BACKOFF", 3, 1),
    loginBackoffMs: envInt(env, "ONSAFE_LOGIN_BACKOFF_MS", 1000, 0),
    /** Long-poll `/sync` requests one account may hold open at once (a device needs one). */
    maxSyncsPerUser: envInt(env, "ONSAFE_MAX_SYNCS_PER_USER", 10),
    /** As Synapse: a device with a backlog (one that slept, or was flooded) gets it over several syncs, not in one huge answer. */
    toDevicePerSync: envInt(env, "ONSAFE_TO_DEVICE_PER_SYNC", 100, 1),
    /**
     * matrix-js-sdk with secret storage and cross-signing keeps about ten entries of
     * a few hundred bytes (m.secret_storage.*, m.cross_signing.*, m.megolm_backup.v1,
     * m.direct); our apps and bots set none themselves. Ample room, and a bound on what
     * each initial sync reads and sends (a visitor stored 60 x 900 KB).
     */
    accountDataMaxEntries: envInt(env, "ONSAFE_ACCOUNT_DATA_MAX_ENTRIES", 500, 1),
    accountDataMaxBytes: envInt(env, "ONSAFE_ACCOUNT_DATA_MAX_BYTES", 1024 * 1024, 1),
    /** The spec's bound on an event (and on an EDU over federation); an olm-encrypted room key or secret is a few KB. */
    toDeviceMaxMessageBytes: envInt(env, "ONSAFE_TO_DEVICE_MAX_MESSAGE_BYTES", 64 * 1024, 1),
    /**
     * A companion's dehydrated device, asleep for a week, is sent a room key per new
     * session in each of their rooms: hundreds to a few thousand. A device that syncs
     * holds almost none. A sync hands out ONSAFE_TO_DEVICE_PER_SYNC of them at a time.
     */
    toDeviceMaxPendingPerDevice: envInt(env, "ONSAFE_TO_DEVICE_MAX_PENDING_PER_DEVICE", 10_000, 1),
    /** matrix-js-sdk (vodozemac) keeps 50 published of at most 100; twice that is ample. */
    maxOneTimeKeysPerDevice: envInt(env, "ONSAFE_MAX_ONE_TIME_KEYS_PER_DEVICE", 200, 1),
    // At least a day: 0 must not come to mean "delete every visitor at the next sweep".
    visitorRetentionDays: envInt(env, "ONSAFE_VISITOR_RETENTION_DAYS", 90, 1),
    /** Far above real use (a UIA session lives 10 min, a nonce 1 min); bounds a flood of unauthenticated requests. */
    maxPendingAuth: envInt(env, "ONSAFE_MAX_PENDING_AUTH", 10_000, 1),
    /** A JSON body is at most 1 MiB: 30 s allows about 35 KB/s; media uploads are not bound by it. */
    bodyTimeoutMs: envInt(env, "ONSAFE_BODY_TIMEOUT_MS", 30_000, 1),
  };
}
