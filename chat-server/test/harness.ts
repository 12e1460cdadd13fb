/**
 * Test harness: a real homeserver on a loopback port with a fresh data
 * directory, and small raw-HTTP helpers. Tests talk to it over HTTP only.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type AccountKind, PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, registrationMac, registrationMacParts, solveProofOfWork } from "@onsafe/schema";
import { type Config, configFromEnv } from "../src/config.ts";
import { startServer } from "../src/server.ts";
import type { Homeserver } from "../src/services/homeserver.ts";
import { loadSecrets } from "../src/services/secrets.ts";

/** The `initial_state` entry that makes a room end-to-end encrypted. */
export const ENCRYPTION = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface Account {
  userId: string;
  deviceId: string;
  token: string;
}

/** Where the server under test runs: in this process, or as a child process like `npm start`. */
interface Backend {
  url: string;
  port: number;
  hs?: Homeserver;
  /** The child process's id, when the server runs in one. */
  pid?: number;
  stop(): Promise<void>;
}

export class TestServer {
  private constructor(private backend: Backend, readonly config: Config, private readonly inChildProcess: boolean) {}

  /** A server in this process, so tests may also look inside (`hs`, `count`). */
  static async start(overrides: Partial<Config> = {}): Promise<TestServer> {
    return TestServer.launch(overrides, false);
  }

  /**
   * The server as its own process, started the way `npm start` starts it, for
   * tests that must restart or kill a real process. `hs` is not available.
   */
  static async startProcess(overrides: Partial<Config> = {}): Promise<TestServer> {
    return TestServer.launch(overrides, true);
  }

  private static async launch(overrides: Partial<Config>, inChildProcess: boolean): Promise<TestServer> {
    const dataDir = mkdtempSync(join(tmpdir(), "onsafe-test-"));
    // Only the web app's folder comes from the environment (a build elsewhere, e.g. while another build runs).
    const config: Config = {
      ...configFromEnv({ ONSAFE_CLIENT_DIR: process.env.ONSAFE_CLIENT_DIR }),
      dataDir,
      port: 0,
      host: "127.0.0.1",
      // The suite registers thousands of visitors: an easy proof of work (about 500 tries) keeps it fast;
      // api/register-pow.test.ts signs up at the default difficulty.
      powMaxNumber: TEST_POW_MAX_NUMBER,
      // Tests walk through many refusals; http/refusal-pacing.test.ts pauses them as the default does.
      refusalDelayMs: 0,
      ...overrides,
    };
    const backend = inChildProcess ? await childProcessBackend(config) : await inProcessBackend(config);
    return new TestServer(backend, { ...config, port: backend.port, publicBaseUrl: backend.url }, inChildProcess);
  }

  get url(): string {
    return this.backend.url;
  }

  /** The server process's id (this process's when it runs in it), e.g. to read its memory use. */
  get pid(): number {
    return this.backend.pid ?? process.pid;
  }

  get hs(): Homeserver {
    if (!this.backend.hs) throw new Error("This server runs in a child process: talk to it over HTTP");
    return this.backend.hs;
  }

  /**
   * Stops and starts the server on the same port and data directory. A child
   * process is killed with SIGKILL: nothing is flushed on the way down, so what
   * survives is what was durably committed.
   */
  async restart(): Promise<void> {
    await this.backend.stop();
    this.backend = this.inChildProcess ? await childProcessBackend(this.config) : await inProcessBackend(this.config);
  }

  async close(): Promise<void> {
    await this.backend.stop();
    rmSync(this.config.dataDir, { recursive: true, force: true });
  }

  async request(method: string, path: string, options: { token?: string; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const send = () => fetch(this.url + path, { method, headers, body: body as BodyInit | undefined });
    // After restart(), a pooled keep-alive socket to the old process fails once; clients retry.
    const response = await send().catch((error: Error & { cause?: { code?: string } }) => {
      if (error.cause?.code === "UND_ERR_SOCKET") return send();
      throw error;
    });
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /**
   * Sends an oversized body with node:http and reads the answer even though the
   * server answers (and stops reading) before the upload ends, as fetch cannot.
   */
  async requestOversized(method: string, path: string, bytes: number, token?: string): Promise<Reply> {
    const { request } = await import("node:http");
    return new Promise((resolve, reject) => {
      const req = request(this.url + path, {
        method,
        // A fresh connection each time: the server closes this one, so a pooled keep-alive socket would hang up the next call.
        agent: false,
        headers: { "content-type": "application/json", "content-length": String(bytes), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }, (res) => {
        let text = "";
        res.on("data", (chunk) => { text += chunk; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: new Headers() }));
      });
      req.on("error", (error) => { if (!req.destroyed) reject(error); });
      req.end(Buffer.alloc(bytes, 0x78));
    });
  }

  /** Rows in a table of the homeserver database, to show a refused request changed nothing. */
  count(table: string): number {
    const query = `select count(*) n from ${table}`;
    if (this.backend.hs) return (this.hs.store.sqlite.prepare(query).get() as { n: number }).n;
    const db = new Database(join(this.config.dataDir, "homeserver.sqlite"), { readonly: true });
    try {
      return (db.prepare(query).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  /** A Client-Server API request as `account`; `path` is what follows `/_matrix/client/v3`. */
  call(account: Account, method: string, path: string, body?: unknown): Promise<Reply> {
    return this.request(method, `/_matrix/client/v3${path}`, { token: account.token, body });
  }

  /** A sync as `account`; `query` is appended as it is, e.g. `?since=${token}&timeout=5000`. */
  sync(account: Account, query = ""): Promise<Reply> {
    return this.call(account, "GET", `/sync${query}`);
  }

  /** Where `account`'s sync stream stands now (the `next_batch` of an initial sync), to pass as `since` later. */
  async nextBatch(account: Account): Promise<string> {
    return (await this.sync(account)).body.next_batch;
  }

  /** A visitor's encrypted room with the bot invited but not yet joined; returns the room id. */
  async createVisitorRoom(visitor: Account, bot: Account, initialState: unknown[] = [ENCRYPTION]): Promise<string> {
    const reply = await this.call(visitor, "POST", "/createRoom", { invite: [bot.userId], initial_state: initialState });
    if (reply.status !== 200) throw new Error(`createRoom failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.room_id;
  }

  /** A visitor's encrypted room that the bot has joined, as after the bot accepts the invite; returns the room id. */
  async visitorRoomWithBot(visitor: Account, bot: Account, initialState: unknown[] = [ENCRYPTION]): Promise<string> {
    const roomId = await this.createVisitorRoom(visitor, bot, initialState);
    const joined = await this.call(bot, "POST", `/join/${roomId}`, {});
    if (joined.status !== 200) throw new Error(`the bot could not join: ${joined.status} ${JSON.stringify(joined.body)}`);
    return roomId;
  }

  private bystander?: { account: Account; roomId: string; sent: number };

  /**
   * Moves the stream on by `count` events in a room of its own, between a
   * `since` and what a test does next: sync then reads a long range, as after a
   * long-poll timed out on a busy server, and takes its per-room path.
   */
  async addUnrelatedEvents(count: number): Promise<void> {
    if (!this.bystander) {
      const account = await this.createAccount("companion", `bystander-${Date.now().toString(36)}`);
      const roomId = (await this.call(account, "POST", "/createRoom", {})).body.room_id;
      this.bystander = { account, roomId, sent: 0 };
    }
    const { account, roomId } = this.bystander;
    const start = this.bystander.sent;
    this.bystander.sent += count;
    await Promise.all(Array.from({ length: count }, (_, i) =>
      this.call(account, "PUT", `/rooms/${roomId}/send/m.room.message/noise-${start + i}`, { msgtype: "m.text", body: "elsewhere" })));
  }

  /** Registers an anonymous visitor: asks, solves the proof-of-work challenge, registers (the two-step org.onsafe.pow flow). */
  async registerVisitor(password?: string, headers?: Record<string, string>): Promise<Account> {
    const reply = await this.request("POST", "/_matrix/client/v3/register", {
      body: { password, auth: await this.registrationProof(headers) },
      headers,
    });
    if (reply.status !== 200) throw new Error(`register failed: ${JSON.stringify(reply.body)}`);
    return { userId: reply.body.user_id, deviceId: reply.body.device_id, token: reply.body.access_token };
  }

  /** The `auth` of a registration: a UIA session and its solved proof-of-work challenge. */
  async registrationProof(headers?: Record<string, string>): Promise<{ type: string; session: string; payload: string }> {
    const first = await this.request("POST", "/_matrix/client/v3/register", { body: {}, headers });
    const challenge = proofOfWorkChallengeIn(first.body);
    if (first.status !== 401 || !challenge) throw new Error(`register did not ask for a proof of work: ${first.status} ${JSON.stringify(first.body).slice(0, 300)}`);
    return { type: PROOF_OF_WORK_STAGE, session: first.body.session, payload: await solveProofOfWork(challenge) };
  }

  /** Creates a staff or bot account through the shared-secret admin endpoint. */
  async createAccount(kind: Exclude<AccountKind, "visitor">, username: string, password = "correct horse battery"): Promise<Account> {
    const { body: { nonce } } = await this.request("GET", "/_synapse/admin/v1/register");
    const admin = kind === "admin";
    const userType = admin ? undefined : kind;
    const mac = registrationMac(loadSecrets(this.config.dataDir).registrationSharedSecret, registrationMacParts(nonce, username, password, admin, userType));
    const reply = await this.request("POST", "/_synapse/admin/v1/register", {
      body: { nonce, username, password, admin, user_type: userType, mac },
    });
    if (reply.status !== 200) throw new Error(`admin register failed: ${JSON.stringify(reply.body)}`);
    return { userId: reply.body.user_id, deviceId: reply.body.device_id, token: reply.body.access_token };
  }
}

async function inProcessBackend(config: Config): Promise<Backend> {
  const running = await startServer(config);
  return { url: running.url, port: running.port, hs: running.hs, stop: () => running.close() };
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The proof-of-work difficulty of test servers unless a test sets its own. */
export const TEST_POW_MAX_NUMBER = 1000;

async function childProcessBackend(config: Config): Promise<Backend> {
  const child = spawn(process.execPath, ["--import", "tsx", "chat-server/src/main.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ONSAFE_PORT: String(config.port),
      ONSAFE_HOST: config.host,
      ONSAFE_DATA_DIR: config.dataDir,
      ONSAFE_VISITOR_REGISTRATIONS_PER_HOUR: String(config.visitorRegistrationsPerWindow),
      ONSAFE_VISITOR_SENDS_PER_MINUTE: String(config.visitorSendsPerMinute),
      ONSAFE_VISITOR_EPHEMERAL_PER_MINUTE: String(config.visitorEphemeralPerMinute),
      ONSAFE_POW_MAX_NUMBER: String(config.powMaxNumber),
      ONSAFE_TRUSTED_PROXIES: config.trustedProxies.join(","),
      ONSAFE_REFUSAL_DELAY_MS: String(config.refusalDelayMs),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = / is running at (http:\/\/\S+) /.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`homeserver exited with ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Asserts a Matrix error reply; returns it for further checks. */
export function expectError(reply: Reply, status: number, errcode: string): Reply {
  if (reply.status !== status || reply.body?.errcode !== errcode) {
    throw new Error(`expected ${status} ${errcode}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  }
  if (typeof reply.body.error !== "string") throw new Error("error reply without an 'error' message");
  return reply;
}
