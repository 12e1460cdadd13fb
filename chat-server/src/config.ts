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
  /** Anonymous visitor registrations allowed per client address per window: the last guard behind the proof of work. */
  visitorRegistrationsPerWindow: number;
  visitorRegistrationWindowMs: number;
  /** Difficulty of the proof-of-work challenge (ALTCHA's `maxnumber`) for sign-up and repeated password guesses (docs/PROOF-OF-WORK.md). */
  powMaxNumber: number;
  /** Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client (http/client-address.ts). */
  trustedProxies: string[];
  visitorMaxRooms: number;
  /** Devices one visitor keeps; a login past it signs out the oldest (services/accounts.ts). */
  visitorMaxDevices: number;
  /** Writes one visitor may make per minute: room events, account data, to-device, keys, key backup, filters… (api/send-limit.ts). */
  visitorSendsPerMinute: number;
  /** Read receipts, read markers and typing notices one visitor may send per minute, apart from `visitorSendsPerMinute`. */
  visitorEphemeralPerMinute: number;
  /** Bytes of `/sync` answers one visitor may be sent in each 10 seconds; past it syncs get 429 until the 10 s end. */
  visitorSyncBytesPer10s: number;
  /** Longest pause before a 429 is answered (its retry_after_ms if shorter); 0 answers at once. */
  refusalDelayMs: number;
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
  /** Sync filters one account may keep (`POST /user/{userId}/filter`). */
  maxFiltersPerAccount: number;
  /** Bytes of one stored filter (its JSON), read again at every sync that names it. */
  filterMaxBytes: number;
  /** Keys a visitor's room key backup may hold. */
  visitorBackupMaxKeys: number;
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
  /** Slowest pace of a media upload once its first `bodyTimeoutMs` are over, in bytes a second; slower ones get 408. */
  uploadMinBytesPerSecond: number;
  /** Bytes of media one visitor may keep, their uploads under way included. */
  visitorMediaMaxBytes: number;
  /** Bytes of media one staff member, bot or admin may keep; 0: no bound. */
  staffMediaMaxBytes: number;
  /** Media uploads one visitor may start per hour. */
  visitorUploadsPerHour: number;
  /** Bytes a second one visitor's uploads may arrive at, all together (staff and bots: no bound). */
  visitorUploadBytesPerSecond: number;
  /** Bytes uploads leave free on the media's disk (the database's too); 0: no check. */
  mediaMinFreeBytes: number;
  /** Bytes a second one visitor's downloads may be read at, all together (staff and bots: no bound). */
  visitorDownloadBytesPerSecond: number;
  /** Media downloads one visitor may have under way at once. */
  maxDownloadsPerVisitor: number;
  /** Media downloads under way at once, everyone's together. */
  maxDownloads: number;
  /** The push gateway every pusher must name and that new events are posted to (docs/CRISIS.md "Push"). */
  pushGatewayUrl: string;
  /** Test mode: pushers may name a push service on a loopback, private or link-local address. */
  pushAllowPrivateEndpoints: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const ports = servicePorts(env);
  const port = ports.public;
  const host = env.ONSAFE_HOST ?? "127.0.0.1";
  const serverName = env.ONSAFE_SERVER_NAME ?? "localhost";
  // npm runs workspace scripts inside the workspace; INIT_CWD is where `npm start` was typed.
  const cwd = env.INIT_CWD ?? process.cwd();
  const botsUrl = env.ONSAFE_BOTS_URL ?? `http://127.0.0.1:${ports.bots}`;
  return {
    port,
    host,
    dataDir: resolve(cwd, env.ONSAFE_DATA_DIR ?? "./data"),
    serverName,
    publicBaseUrl: env.ONSAFE_PUBLIC_URL ?? `http://localhost:${port}`,
    botsUrl,
    // This file runs from chat-server/src (tests) or chat-server/dist (the bundle): the repository is two levels up either way.
    clientDir: env.ONSAFE_CLIENT_DIR
      ? resolve(cwd, env.ONSAFE_CLIENT_DIR)
      : fileURLToPath(new URL("../../chat-client/dist", import.meta.url)),
    maxUploadBytes: envInt(env, "ONSAFE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024),
    maxJsonBytes: 1024 * 1024,
    maxSyncTimeoutMs: 30_000,
    /**
     * Each sign-up pays a proof of work; this is only the last guard. Carrier-grade NAT
     * (Korean mobile networks), a shelter or a school put hundreds of people behind one
     * address, and 100 victims may start at once after a broadcast: 1,000 an hour lets
     * that surge pass ten times over, where 20 refused everyone after the 20th.
     */
    visitorRegistrationsPerWindow: envInt(env, "ONSAFE_VISITOR_REGISTRATIONS_PER_HOUR", 1000),
    visitorRegistrationWindowMs: 60 * 60 * 1000,
    /**
     * The solver tries on average half of it. In Chromium the app's solver (@noble/hashes'
     * SHA-256 in a worker) pays about 5 µs a try, 17-27 µs on a page thread 4× slower: at
     * 20,000, p95 0.4 s in the app's worker and 0.7 s on the throttled page thread
     * (docs/PROOF-OF-WORK.md "Measured"). A flood pays about 2 ms of a core per sign-up in
     * native code: the per-address ceiling above stays the guard.
     */
    powMaxNumber: envInt(env, "ONSAFE_POW_MAX_NUMBER", 20_000, 1),
    /** None by default: the connection's own address is the client's (a forged header is ignored). */
    trustedProxies: (env.ONSAFE_TRUSTED_PROXIES ?? "").split(",").map((entry) => entry.trim()).filter((entry) => entry !== ""),
    /** Rooms one visitor may create in all (a conversation each; the bots create the others). */
    visitorMaxRooms: envInt(env, "ONSAFE_VISITOR_MAX_ROOMS", 10),
    /**
     * A victim opens her chat on a phone, perhaps a second phone or a shelter's computer,
     * and again after clearing a browser: a handful. Each login made a device with its keys
     * without bound, so a script with one recovery code could fill the database.
     */
    visitorMaxDevices: envInt(env, "ONSAFE_VISITOR_MAX_DEVICES", 10, 1),
    /** Far above a person typing or sharing a batch of screenshots; a script flooding a companion hits it. */
    visitorSendsPerMinute: envInt(env, "ONSAFE_VISITOR_SENDS_PER_MINUTE", 60),
    /**
     * The apps send a typing notice at the first key, again every 4 s while typing, and
     * "stopped" at each send, and a read receipt per message that arrives while the chat
     * is on screen: a fast writer sending 20 messages a minute and reading 20 makes
     * about 15 + 40 + 20 = 75. Twice the send budget; each replaces the last, so a
     * script gains only wake-ups of the room's syncs, two a second at most.
     */
    visitorEphemeralPerMinute: envInt(env, "ONSAFE_VISITOR_EPHEMERAL_PER_MINUTE", 120, 1),
    /**
     * A visitor's initial sync (one conversation, its recent history, a few KB of
     * account data) is tens of KB; a long-polled answer a few KB; a device back after
     * days gets 100 to-device messages of 1-2 KB per answer. 1 MiB in 10 s is ample for
     * any of these (one answer always goes out, however big: the check is made before
     * it), and bounds what a visitor can make the server compute and send on its one
     * thread: ten initial syncs at once, each carrying 1 MiB of account data, again and
     * again, held /versions at p99 30 s for everyone (`npm run bench -- attack`). A
     * short window, so a burst is at most one or two such answers, not a minute's worth.
     */
    visitorSyncBytesPer10s: envInt(env, "ONSAFE_VISITOR_SYNC_BYTES_PER_10S", 1024 * 1024, 1),
    /**
     * A second: a script retrying at once is slowed to about one request per second per
     * connection (2,200 refusals a second from one visitor before), and a client that
     * honours retry_after_ms waits at most a second longer than it would have.
     */
    refusalDelayMs: envInt(env, "ONSAFE_REFUSAL_DELAY_MS", 1000, 0),
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
    /**
     * matrix-js-sdk stores one filter (about 100 bytes) and asks for it again at every
     * start, which gets the same id back (services/filters.ts): an account keeps one or
     * two. Each filter is read at every sync that names it; a visitor could store any
     * number, each up to the 1 MiB body limit.
     */
    maxFiltersPerAccount: envInt(env, "ONSAFE_MAX_FILTERS_PER_ACCOUNT", 100, 1),
    filterMaxBytes: envInt(env, "ONSAFE_FILTER_MAX_BYTES", 16 * 1024, 1),
    /**
     * A visitor's backup holds one key per megolm session in their rooms: each sending
     * device starts a new one every 100 messages, every week and at each membership
     * change, so a conversation of 90 days (the retention) with a few counsellors and
     * their devices comes to hundreds. Each key is at most 8 KiB (services/key-backup.ts).
     */
    visitorBackupMaxKeys: envInt(env, "ONSAFE_VISITOR_BACKUP_MAX_KEYS", 5000, 1),
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
    /**
     * A JSON body is at most 1 MiB: 30 s allows about 35 KB/s. A media upload has this
     * long before `uploadMinBytesPerSecond` counts, and a download the client stops
     * reading for this long is cut off.
     */
    bodyTimeoutMs: envInt(env, "ONSAFE_BODY_TIMEOUT_MS", 30_000, 1),
    /**
     * 16 KiB/s (128 kbit/s) is below any 3G uplink: a 50 MiB video may take 53 minutes.
     * An upload is streamed to disk, so a slow one costs a connection, not memory; what
     * this stops is a connection held open by a few bytes now and then (Node's own 300 s
     * limit on a whole request, which cut off a 50 MiB upload slower than 175 KiB/s, is
     * raised to match: server.ts).
     */
    uploadMinBytesPerSecond: envInt(env, "ONSAFE_UPLOAD_MIN_BYTES_PER_SECOND", 16 * 1024, 1),
    /**
     * What a victim brings as evidence: screenshots (1 to 3 MB each as PNG; a hundred of
     * them is 300 MB at most) and a few phone videos (each at most the 50 MiB upload
     * limit; four of them, 200 MiB). One visitor uploaded 4 x 40 MiB in 3.2 s, with no end.
     */
    visitorMediaMaxBytes: envInt(env, "ONSAFE_VISITOR_MEDIA_MAX_BYTES", 512 * 1024 * 1024, 1),
    /**
     * No bound: staff and bots are created by the operator, files cannot be deleted one
     * by one, and a companion or the letter bot refused mid-case would leave a victim
     * waiting. An operator who wants one sets it.
     */
    staffMediaMaxBytes: envInt(env, "ONSAFE_STAFF_MEDIA_MAX_BYTES", 0),
    /** A hundred screenshots in an hour pass; a script filling its quota with small files stops. */
    visitorUploadsPerHour: envInt(env, "ONSAFE_VISITOR_UPLOADS_PER_HOUR", 100, 1),
    /**
     * 8 MiB/s (67 Mbit/s) is above a phone's uplink on LTE and most 5G, so no victim
     * waits for it; a 50 MiB video still goes in about 6 s. At loopback speed one
     * visitor's 40 MiB uploads took a core of the server's one thread, and with the
     * other attacks held /versions at p99 0.4-0.5 s (`npm run bench -- attack`).
     */
    visitorUploadBytesPerSecond: envInt(env, "ONSAFE_VISITOR_UPLOAD_BYTES_PER_SECOND", 8 * 1024 * 1024, 0),
    /**
     * 8 MiB/s as for uploads: above what a phone receives on LTE and most 5G, so a victim
     * waits no longer. Twelve of one visitor's downloads starting at once filled
     * loopback's socket buffers with about 50 MB in their first second, with the other
     * attacks holding everyone's `/versions` for half a second (`npm run bench -- attack`).
     */
    /**
     * Visitors' quotas (512 MiB each) bound one person, not thousands: before the disk
     * fills, uploads stop, so the database beside them can still commit (a full disk
     * fails every write: nobody could send, sign in or be helped). 1 GiB leaves room for
     * the database to grow meanwhile and for the operator to act.
     */
    mediaMinFreeBytes: envInt(env, "ONSAFE_MEDIA_MIN_FREE_BYTES", 1024 * 1024 * 1024, 0),
    visitorDownloadBytesPerSecond: envInt(env, "ONSAFE_VISITOR_DOWNLOAD_BYTES_PER_SECOND", 8 * 1024 * 1024, 0),
    /**
     * The victim's app fetches one file at a time (a letter, a referral); a Matrix client
     * showing a screen of images opens at most 6 connections to a host over HTTP/1.1.
     * Staff and bots are bound only by `maxDownloads`: the console fetches every image of
     * a conversation at once.
     */
    maxDownloadsPerVisitor: envInt(env, "ONSAFE_MAX_DOWNLOADS_PER_VISITOR", 8, 1),
    /**
     * Each download under way holds a file open and a 64 KiB chunk or two: 12 slow
     * downloads of a 40 MiB file grew the server by 2 MiB (by 500 MiB before they were
     * streamed; media-memory.deep.test.ts). 256 of them, far above what a counselling
     * service serves at once, stay within about 50 MiB and 256 file descriptors.
     */
    maxDownloads: envInt(env, "ONSAFE_MAX_DOWNLOADS", 256, 1),
    /** The bots service's notify route, as the bots service reads the same setting (bots/src/config.ts). */
    pushGatewayUrl: env.ONSAFE_PUSH_GATEWAY_URL || `${botsUrl}/_matrix/push/v1/notify`,
    /**
     * Off: a pusher naming a push service on our own network would have the gateway
     * post there for anyone with a staff account. The tests' local push service needs it.
     */
    pushAllowPrivateEndpoints: env.ONSAFE_PUSH_ALLOW_PRIVATE_ENDPOINTS === "1",
  };
}
