/**
 * One hostile visitor (one access token) running issue 21's findings 2, 3
 * and 10 together against the homeserver, for `bench/scenarios/attack.ts`.
 * It runs in a process of its own so its work does not stall the clock of the
 * `/versions` probes in the scenario's process. Every attack retries at once
 * after a refusal (429 included), as a script would: the rate is whatever the
 * server allows. Bounded: loopback only, a fixed number of sockets per attack,
 * everything destroyed when the time is up.
 *
 * Started with `fork`; `AttackOptions` in argv[2] as JSON. Sends "ready"
 * once set up, then `AttackResult` over IPC when done, and exits.
 */
import { Agent, type ClientRequest, type IncomingMessage, request } from "node:http";
import { connect, type Socket } from "node:net";
import { pathToFileURL } from "node:url";

/** The attacks, each runnable alone (`ATTACK_KINDS`) to find which one costs what. */
export const ATTACK_KINDS = ["account-data", "to-device", "keys", "initial-sync", "upload", "slow-download", "stalled-body"] as const;
export type AttackKind = typeof ATTACK_KINDS[number];

export interface AttackOptions {
  url: string;
  token: string;
  userId: string;
  /** The account the to-device flood goes to (it shares a room with the visitor, and never syncs). */
  target: { userId: string; deviceId: string };
  /** The file the slow downloads fetch (`mxc://server/id`), or null if the visitor could not upload one. */
  mediaUri: string | null;
  seconds: number;
  kinds: AttackKind[];
}

/** Answers per attack, keyed `status errcode` (or `error CODE` for a connection failure, `stalled` for a stalled body still open at the end). */
export type AttackResult = Record<string, Record<string, number>>;

/** Sockets per attack. */
export const SHAPE = {
  accountDataWorkers: 2,
  /** 900 KB values at first, as the review's 60 entries of 900 KB; halved after each 413 (down to 1 KB), to fill the quota. */
  accountDataBytes: 900_000,
  toDeviceWorkers: 2,
  /** Just under the 64 KiB per-message bound (a 900 KB message is refused outright now). */
  toDeviceBytes: 60_000,
  keysWorkers: 2,
  keysPerUpload: 50,
  /** Just under the 4 KiB per-key bound. */
  keyBytes: 3_500,
  /** As the review's 10 concurrent initial syncs (also the per-account limit on open syncs). */
  initialSyncs: 10,
  uploadWorkers: 4,
  uploadBytes: 40 * 1024 * 1024,
  slowDownloads: 12,
  /** Each slow download reads this many bytes per second: a 40 MiB file takes 40 s. */
  slowReadBytesPerSecond: 1024 * 1024,
  /** Stalled bodies: declared 1 MiB, 1 KiB sent, then nothing. */
  stalledUnauthPublic: 50,
  stalledUnauthNeedsToken: 50,
  stalledWithToken: 100,
  stalledDeclared: 1024 * 1024,
  stalledSent: 1024,
} as const;

const MAX_ERROR_TEXT = 64 * 1024;

function main(o: AttackOptions): void {
  const url = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const requests = new Set<ClientRequest>();
  const sockets = new Set<Socket>();
  const result: AttackResult = {};
  let stopped = false;
  const count = (kind: string, label: string) => {
    if (stopped) return;
    const of = (result[kind] ??= {});
    of[label] = (of[label] ?? 0) + 1;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const auth = { authorization: `Bearer ${o.token}` };

  /** One request; resolves with its label. `onOk` reads a 2xx answer (default: drained). */
  const hit = (method: string, path: string, headers: Record<string, string | number>, body?: Buffer | string, onOk?: (res: IncomingMessage) => Promise<void>): Promise<string> =>
    new Promise((resolve) => {
      let settled = false;
      const done = (label: string) => { if (!settled) { settled = true; requests.delete(req); resolve(label); } };
      const req = request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          const reading = onOk ? onOk(res) : new Promise<void>((r) => { res.on("end", r).on("close", r).resume(); });
          void reading.then(() => done(String(status)), () => done(String(status)));
          return;
        }
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => { if (text.length < MAX_ERROR_TEXT) text += chunk; });
        const finish = () => {
          let errcode = "";
          try { errcode = (JSON.parse(text) as { errcode?: string }).errcode ?? ""; } catch { /* not JSON */ }
          done(`${status}${errcode ? ` ${errcode}` : ""}`);
        };
        res.on("end", finish).on("close", finish);
      });
      requests.add(req);
      // An answer given before the body was all sent (a refusal) may end in EPIPE or a reset: the answer counts.
      req.on("error", (error: NodeJS.ErrnoException) => setTimeout(() => done(`error ${error.code ?? error.message}`), 0));
      req.end(body);
    });

  /** `workers` loops of `attempt` until the time is up, each answer counted under `kind`. */
  const loops = (kind: AttackKind, workers: number, attempt: (worker: number, n: number) => Promise<string>) =>
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; !stopped; n++) {
        const label = await attempt(w, n);
        count(kind, label);
        // A refused connection would spin this loop as fast as the CPU goes, which measures nothing.
        if (label.startsWith("error")) await pause(5);
      }
    });

  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const filler = (bytes: number) => "a".repeat(bytes);
  const user = encodeURIComponent(o.userId);
  const work: Promise<unknown>[] = [];
  const run = (kind: AttackKind, start: () => Promise<unknown>[]) => { if (o.kinds.includes(kind)) work.push(...start()); };

  // Finding 2: large account data entries, a to-device flood, one-time key uploads, initial syncs.
  // As large as the quota lets it: a value refused as too large is tried again at half the size (down to 1 KB).
  let accountDataBytes: number = SHAPE.accountDataBytes;
  run("account-data", () => loops("account-data", SHAPE.accountDataWorkers, async (w, n) => {
    const label = await hit("PUT", `/_matrix/client/v3/user/${user}/account_data/bench.attack.${w}.${n % 600}`, { ...auth, "content-type": "application/json" }, json({ x: filler(accountDataBytes) }));
    if (label === "413 M_TOO_LARGE") accountDataBytes = Math.max(1000, Math.floor(accountDataBytes / 2));
    return label;
  }));
  run("to-device", () => loops("to-device", SHAPE.toDeviceWorkers, (w, n) =>
    hit("PUT", `/_matrix/client/v3/sendToDevice/m.bench.attack/t${w}-${n}-${Date.now()}`, { ...auth, "content-type": "application/json" },
      json({ messages: { [o.target.userId]: { [o.target.deviceId]: { x: filler(SHAPE.toDeviceBytes) } } } }))));
  run("keys", () => loops("keys", SHAPE.keysWorkers, (w, n) => {
    const keys: Record<string, unknown> = {};
    for (let k = 0; k < SHAPE.keysPerUpload; k++) keys[`signed_curve25519:w${w}n${n}k${k}`] = { key: filler(SHAPE.keyBytes), signatures: {} };
    return hit("POST", "/_matrix/client/v3/keys/upload", { ...auth, "content-type": "application/json" }, json({ one_time_keys: keys }));
  }));
  run("initial-sync", () => loops("initial-sync", SHAPE.initialSyncs, () => hit("GET", "/_matrix/client/v3/sync", auth)));

  // Finding 3: 40 MiB uploads as fast as allowed; slow downloads of a 40 MiB file.
  const upload = Buffer.alloc(SHAPE.uploadBytes, 7);
  run("upload", () => loops("upload", SHAPE.uploadWorkers, () =>
    hit("POST", "/_matrix/media/v3/upload?filename=bench.bin", { ...auth, "content-type": "application/octet-stream", "content-length": upload.length }, upload)));
  const slowRead = (res: IncomingMessage) => new Promise<void>((resolve) => {
    const started = performance.now();
    let got = 0;
    res.on("data", (chunk: Buffer) => {
      got += chunk.length;
      const ahead = (got / SHAPE.slowReadBytesPerSecond) * 1000 - (performance.now() - started);
      if (ahead > 0) {
        res.pause();
        setTimeout(() => res.resume(), ahead);
      }
    });
    res.on("end", resolve).on("close", resolve).on("error", resolve);
  });
  if (o.mediaUri) {
    const mxc = o.mediaUri.replace(/^mxc:\/\//, "");
    run("slow-download", () => loops("slow-download", SHAPE.slowDownloads, () => hit("GET", `/_matrix/client/v1/media/download/${mxc}`, auth, undefined, slowRead)));
  }

  // Finding 10: stalled bodies (declared 1 MiB, 1 KiB sent), kept open and reopened when closed.
  const stalled = (path: string, method: string, token: string | undefined) => {
    const head = [
      `${method} ${path} HTTP/1.1`, `Host: ${url.host}`, "Content-Type: application/json", `Content-Length: ${SHAPE.stalledDeclared}`,
      ...(token ? [`Authorization: Bearer ${token}`] : []), "", "",
    ].join("\r\n");
    const kind = "stalled-body";
    const open = () => {
      if (stopped) return;
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      sockets.add(socket);
      let status = "";
      socket.setEncoding("latin1");
      socket.on("data", (text: string) => {
        if (!status) {
          const line = /^HTTP\/1\.1 (\d+)/.exec(text);
          const errcode = /"errcode":"([A-Z_]+)"/.exec(text);
          status = line ? `${line[1]}${errcode ? ` ${errcode[1]}` : ""}` : "other";
        }
      });
      socket.on("error", () => { /* counted on close */ });
      socket.on("close", () => {
        sockets.delete(socket);
        if (stopped) return;
        count(kind, `${token ? "with token" : path.includes("/register") ? "no token, public route" : "no token, route needs one"}: ${status || "closed without answer"}`);
        open();
      });
      socket.write(head);
      socket.write(filler(SHAPE.stalledSent));
    };
    return open;
  };
  if (o.kinds.includes("stalled-body")) {
    for (let i = 0; i < SHAPE.stalledUnauthPublic; i++) stalled("/_matrix/client/v3/register", "POST", undefined)();
    for (let i = 0; i < SHAPE.stalledUnauthNeedsToken; i++) stalled(`/_matrix/client/v3/user/${user}/account_data/bench.stalled`, "PUT", undefined)();
    for (let i = 0; i < SHAPE.stalledWithToken; i++) stalled(`/_matrix/client/v3/user/${user}/account_data/bench.stalled`, "PUT", o.token)();
  }

  setTimeout(() => {
    stopped = true;
    const still = sockets.size;
    if (still > 0) (result["stalled-body"] ??= {})["stalled: still open at the end"] = still;
    for (const socket of sockets) socket.destroy();
    for (const req of requests) req.destroy();
    agent.destroy();
    void Promise.allSettled(work).then(() => {
      process.send!(result, () => process.exit(0));
    });
  }, o.seconds * 1000);
  process.send!("ready");
}

// The scenario imports this file for its types and shape; only the forked process attacks.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(JSON.parse(process.argv[2]!) as AttackOptions);
