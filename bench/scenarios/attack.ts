/**
 * Under attack (issue 21, "Done when"): one anonymous visitor runs the attacks
 * of findings 2 (account data, to-device, one-time keys, initial syncs),
 * 3 (40 MiB uploads, slow downloads) and 10 (stalled request bodies) together
 * for 60 s, from a process of its own (`bench/attack-load.ts`), against the
 * homeserver as a child process from the `npm start` bundle with its default
 * limits. Beside it, in this process: `GET /versions` probes every 50 ms and
 * the server's RSS every 250 ms, first for 20 s idle (the baseline), then for
 * the whole attack. Targets: RSS under 400 MiB and `/versions` p99 under
 * 100 ms. A missed target is reported, never thrown.
 *
 * To find which attack costs what, run some alone and shorter:
 *   ATTACK_KINDS=initial-sync,upload ATTACK_SECONDS=20 npm run bench -- attack
 * These machines are shared: the server's event loop may wait for a core far
 * longer than it runs (the method reports how long). To see the server's own
 * cost apart from that, ATTACK_SERVER_PRIORITY=-10 (as root) raises the
 * server's scheduling priority for the run; the report says so.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { loadSecrets } from "../../chat-server/src/services/secrets.ts";
import { visitorAccount } from "../accounts.ts";
import { ATTACK_KINDS, type AttackKind, type AttackOptions, type AttackResult, SHAPE } from "../attack-load.ts";
import { type Figure, type Scenario, type Section, stat } from "../harness/report.ts";
import { call, closeClient, registerTriageBot } from "../http-client.ts";
import { freePort } from "../loopback-ports.ts";
import { rounded } from "../scenario-support.ts";
import { type ServerProcess, startServerProcess } from "../server-process.ts";

const PROBE_EVERY_MS = 50;
const RSS_EVERY_MS = 250;
const RSS_TARGET_MB = 400;
const P99_TARGET_MS = 100;
const ENCRYPTION = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };

interface Phase {
  probes: number[];
  /** When each probe in `probes` was sent, in seconds from the phase's start (same order). */
  sentAt: number[];
  /** Its event loop's thread waited for a core (runnable, not running; /proc schedstat) ${ms(idle)} ms per second idle, ${ms(attacked)} ms per second under attack. The machine's 1-minute load average at the phase's start and end (other work shares these cores). */
  load: [number, number];
  probeErrors: number;
  /** Probes unanswered after PROBE_TIMEOUT_MS: in `probes` as that long. */
  probesTimedOut: number;
  /** Probes not sent because MAX_PROBES_IN_FLIGHT were still waiting. */
  probesNotSent: number;
  rss: number[];
  /** Connections the kernel holds for the server's listening socket, not yet accepted by it (/proc/net/tcp), sampled with the RSS. */
  acceptQueue: number[];
  /** Server CPU seconds (user + system) over the phase, and its length. */
  cpuSeconds: number;
  /** Seconds the server's main thread (its event loop) spent runnable but waiting for a core. */
  waitSeconds: number;
  seconds: number;
}

/** Seconds the main thread of `pid` has waited on a run queue (/proc/<pid>/schedstat, second field, ns). */
function runQueueWaitOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e9;
}

/** utime + stime of `pid`, in seconds (clock ticks of 10 ms on Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The accept queue of the socket listening on loopback `port` (rx_queue of its LISTEN row in /proc/net/tcp). */
function acceptQueueOf(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === "0A") return parseInt(f[4]!.split(":")[1]!, 16);
  }
  return 0;
}

const loadAverage = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

/** Probes waiting at once, at most (each on its own socket: a probe never queues behind another in this client). */
const MAX_PROBES_IN_FLIGHT = 400;
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Probes and RSS samples until `until` resolves. Probes are sent on a clock
 * (every 50 ms whether or not the last one answered), each on a keep-alive
 * socket of its own while the others wait, so a stalled server shows as long
 * round trips, not as fewer probes, and no probe waits in this client for a
 * socket (that would add the client's queue to the server's time).
 */
async function measure(server: ServerProcess, until: Promise<unknown>): Promise<Phase> {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_PROBES_IN_FLIGHT });
  const phase: Phase = { probes: [], sentAt: [], load: [loadAverage(), 0], probeErrors: 0, probesTimedOut: 0, probesNotSent: 0, rss: [], acceptQueue: [], cpuSeconds: 0, waitSeconds: 0, seconds: 0 };
  const url = new URL(server.url);
  const inFlight = new Set<Promise<void>>();
  // Sent on the interval below, so only once `t0`, the phase's start, is set.
  const probe = () => {
    if (inFlight.size >= MAX_PROBES_IN_FLIGHT) { phase.probesNotSent++; return; }
    const sent = performance.now();
    const took = (ms: number) => { phase.probes.push(ms); phase.sentAt.push((sent - t0) / 1000); };
    const p = new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: "/_matrix/client/versions", agent }, (res) => {
        res.on("end", () => { took(performance.now() - sent); resolve(); }).resume();
      });
      // A probe unanswered after PROBE_TIMEOUT_MS counts as that long (the figure is then a lower bound), not as missing.
      let timedOut = false;
      req.setTimeout(PROBE_TIMEOUT_MS, () => { timedOut = true; took(performance.now() - sent); phase.probesTimedOut++; req.destroy(); });
      req.on("error", () => { if (!timedOut) phase.probeErrors++; resolve(); });
      req.end();
    });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };
  const cpu0 = cpuSecondsOf(server.pid);
  const wait0 = runQueueWaitOf(server.pid);
  const t0 = performance.now();
  const probes = setInterval(probe, PROBE_EVERY_MS);
  const port = Number(url.port);
  const rss = setInterval(() => { phase.rss.push(server.rssMb()); phase.acceptQueue.push(acceptQueueOf(port)); }, RSS_EVERY_MS);
  phase.rss.push(server.rssMb());
  try {
    await until;
  } finally {
    clearInterval(probes);
    clearInterval(rss);
  }
  phase.rss.push(server.rssMb());
  phase.seconds = (performance.now() - t0) / 1000;
  phase.cpuSeconds = cpuSecondsOf(server.pid) - cpu0;
  phase.load[1] = loadAverage();
  phase.waitSeconds = runQueueWaitOf(server.pid) - wait0;
  await Promise.all(inFlight);
  agent.destroy();
  return phase;
}

/** POST /upload of `bytes` bytes; the content URI, or null with the refusal. */
async function uploadFile(url: string, token: string, bytes: number): Promise<{ uri: string | null; refusal?: string }> {
  const reply = await fetch(`${url}/_matrix/media/v3/upload?filename=bench.bin`, {
    method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" }, body: Buffer.alloc(bytes, 1),
  });
  const body = await reply.json() as { content_uri?: string; errcode?: string };
  return body.content_uri ? { uri: body.content_uri } : { uri: null, refusal: `${reply.status} ${body.errcode ?? ""}` };
}

const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);

/** How many probes under attack took P99_TARGET_MS or more, and when they were sent: a stall at the start shows apart from a steady one. */
function slowProbesText(phase: Phase): string {
  const slow = phase.sentAt.filter((_, i) => phase.probes[i]! >= P99_TARGET_MS);
  if (slow.length === 0) return `No probe under attack took ${P99_TARGET_MS} ms or more.`;
  const seconds = [...new Set(slow.map(Math.floor))].sort((a, b) => a - b);
  return `Probes under attack that took ${P99_TARGET_MS} ms or more: ${slow.length} of ${phase.probes.length} (p99 is number ${Math.ceil(phase.probes.length / 100)} from the slowest), sent in second${seconds.length > 1 ? "s" : ""} ${seconds.join(", ")} of the attack.`;
}

function countsText(counts: Record<string, number> | undefined): string {
  if (!counts) return "nothing answered";
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label} ×${n.toLocaleString("en")}`).join(", ");
}

export function attack(o: { idleSeconds?: number; attackSeconds?: number; kinds?: AttackKind[] } = {}): Scenario {
  const idleSeconds = o.idleSeconds ?? Number(process.env.ATTACK_IDLE_SECONDS ?? 20);
  const attackSeconds = o.attackSeconds ?? Number(process.env.ATTACK_SECONDS ?? 60);
  const kinds = o.kinds ?? (process.env.ATTACK_KINDS ? process.env.ATTACK_KINDS.split(",") as AttackKind[] : [...ATTACK_KINDS]);
  return {
    id: "attack",
    async run(): Promise<Section> {
      const unknown = kinds.filter((k) => !ATTACK_KINDS.includes(k));
      if (unknown.length > 0) throw new Error(`no attack ${unknown.join(", ")}; there are ${ATTACK_KINDS.join(", ")}`);
      // The server's own limits, not the other scenarios' lifted ones: they are what is measured.
      const server = await startServerProcess(await freePort(), { defaultLimits: true });
      const { url } = server;
      const priority = process.env.ATTACK_SERVER_PRIORITY ? Number(process.env.ATTACK_SERVER_PRIORITY) : undefined;
      if (priority !== undefined) setPriority(server.pid, priority);
      let attacker: ChildProcess | undefined;
      try {
        // The visitor, and an account it shares a room with for the to-device flood (the triage bot, which never syncs here).
        const visitor = await visitorAccount(url);
        const bot = await registerTriageBot(url, loadSecrets(server.dataDir).registrationSharedSecret);
        const botDevice = (await call(url, "GET", "/_matrix/client/v3/account/whoami", bot.access_token)).device_id as string;
        const room = await call(url, "POST", "/_matrix/client/v3/createRoom", visitor.token, { invite: [bot.user_id], initial_state: [ENCRYPTION] });
        if (!room.room_id) throw new Error(`the visitor could not create a room: ${JSON.stringify(room)}`);
        await call(url, "POST", `/_matrix/client/v3/join/${encodeURIComponent(room.room_id)}`, bot.access_token, {});
        // The file the slow downloads fetch: the visitor's own upload, made before the baseline.
        const file = kinds.includes("slow-download") ? await uploadFile(url, visitor.token, SHAPE.uploadBytes) : { uri: null };
        await new Promise((r) => setTimeout(r, 2000));

        const idle = await measure(server, new Promise((r) => setTimeout(r, idleSeconds * 1000)));

        const options: AttackOptions = {
          url, token: visitor.token, userId: visitor.userId, target: { userId: bot.user_id, deviceId: botDevice },
          mediaUri: file.uri, seconds: attackSeconds, kinds,
        };
        const child = fork(fileURLToPath(new URL("../attack-load.ts", import.meta.url)), [JSON.stringify(options)], { execArgv: ["--import", "tsx"] });
        attacker = child;
        const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the attacker's process exited with ${code}`))));
        exited.catch(() => {});
        await Promise.race([new Promise<void>((resolve) => child.on("message", (m) => { if (m === "ready") resolve(); })), exited]);
        const result = Promise.race([new Promise<AttackResult>((resolve) => child.on("message", (m) => { if (m !== "ready") resolve(m as AttackResult); })), exited]);
        const guard = setTimeout(() => child.kill("SIGKILL"), (attackSeconds + 60) * 1000);
        let attacked: Phase;
        let counts: AttackResult;
        let attackerCpu = 0;
        const attackerCpuNow = () => { try { attackerCpu = cpuSecondsOf(child.pid!); } catch { /* exited */ } };
        const sampling = setInterval(attackerCpuNow, 1000);
        try {
          attacked = await measure(server, result);
          counts = await result;
        } finally {
          clearTimeout(guard);
          clearInterval(sampling);
        }
        const after = await measure(server, new Promise((r) => setTimeout(r, 5000)));

        const idleProbes = stat(idle.probes);
        const attackProbes = stat(attacked.probes);
        const rssMax = max(attacked.rss);
        const rssMet = rssMax < RSS_TARGET_MB;
        const p99Met = attackProbes.p99 < P99_TARGET_MS;
        const idleRss = { what: `server RSS idle, max of ${idle.rss.length} samples (same run)`, value: max(idle.rss) };
        const idleVersions = { what: `\`GET /versions\` idle, every ${PROBE_EVERY_MS} ms for ${idleSeconds} s (same run)`, value: rounded(idleProbes, 1) };
        const cores = (p: Phase) => (p.cpuSeconds / p.seconds).toFixed(2);
        const ms = (p: Phase) => (p.waitSeconds / p.seconds * 1000).toFixed(0);
        const figures: Figure[] = [
          { what: `server RSS under attack, max of ${attacked.rss.length} samples every ${RSS_EVERY_MS} ms`, unit: "MB", value: rssMax, baseline: idleRss, target: { max: RSS_TARGET_MB, source: "issue 21" } },
          { what: `\`GET /versions\` round trip under attack, every ${PROBE_EVERY_MS} ms from another process`, unit: "ms", value: rounded(attackProbes, 1), baseline: idleVersions, target: { on: "p99", max: P99_TARGET_MS, source: "issue 21" } },
          { what: "server RSS 5 s after the attack stopped (max)", unit: "MB", value: max(after.rss), baseline: idleRss },
        ];
        const all = kinds.length === ATTACK_KINDS.length;
        return {
          id: "attack",
          title: "Under attack (issue 21)",
          method: [
            `One anonymous visitor (one access token), from a process of its own, runs ${all ? "all of these together" : `only ${kinds.join(", ")}`} for ${attacked.seconds.toFixed(0)} s, each retrying at once after any refusal (429 included), as a script would:`,
            `finding 2: ${SHAPE.accountDataWorkers} loops of \`PUT account_data\` with ${(SHAPE.accountDataBytes / 1000).toFixed(0)} KB values, halved after each 413 (down to 1 KB) to fill the quota; ${SHAPE.toDeviceWorkers} loops of \`sendToDevice\` with a ${(SHAPE.toDeviceBytes / 1000).toFixed(0)} KB message to the triage bot's device (the bot shares a room with the visitor and never syncs); ${SHAPE.keysWorkers} loops of \`keys/upload\` with ${SHAPE.keysPerUpload} new one-time keys of ${(SHAPE.keyBytes / 1000).toFixed(1)} KB; ${SHAPE.initialSyncs} loops of initial \`/sync\` (no \`since\`);`,
            `finding 3: ${SHAPE.uploadWorkers} loops of ${SHAPE.uploadBytes / 2 ** 20} MiB uploads; ${SHAPE.slowDownloads} loops of downloads of the visitor's own ${SHAPE.uploadBytes / 2 ** 20} MiB file (uploaded before the baseline), each read at ${SHAPE.slowReadBytesPerSecond / 2 ** 20} MiB/s;`,
            `finding 10: ${SHAPE.stalledUnauthPublic + SHAPE.stalledUnauthNeedsToken + SHAPE.stalledWithToken} stalled bodies (${SHAPE.stalledDeclared / 2 ** 20} MiB declared, ${SHAPE.stalledSent / 1024} KiB sent, then nothing), each reopened as soon as the server closes it: ${SHAPE.stalledUnauthPublic} without a token to \`POST /register\` (a public route), ${SHAPE.stalledUnauthNeedsToken} without a token to \`PUT account_data\`, ${SHAPE.stalledWithToken} with the visitor's token to \`PUT account_data\`.`,
            `The homeserver runs as a child process from the \`npm start\` bundle with its default limits, fresh data directory${priority !== undefined ? ` (at scheduling priority ${priority}, ATTACK_SERVER_PRIORITY, to see its own cost apart from the machine's other work)` : ""}; the triage bot account is made with the registration shared secret. Beside the attack, in the scenario's process: \`GET /_matrix/client/versions\` every ${PROBE_EVERY_MS} ms on a clock (a probe does not wait for the one before, nor for a socket: each waiting probe has its own keep-alive connection; round trip from send to the answer's end) and the server's VmRSS from /proc every ${RSS_EVERY_MS} ms (MB here are MiB), for ${idleSeconds} s idle first (the baseline), then through the attack. Connections waiting to be accepted by the server (its listening socket's queue): at most ${max(idle.acceptQueue)} idle, ${max(attacked.acceptQueue)} under attack. Server CPU: ${cores(idle)} cores idle, ${cores(attacked)} under attack (the attacker's process about ${(attackerCpu / attacked.seconds).toFixed(2)}). Its event loop's thread waited for a core (runnable, not running; /proc schedstat) ${ms(idle)} ms per second idle, ${ms(attacked)} ms per second under attack. The machine's 1-minute load average (2 cores, shared with other work): ${idle.load[0]} → ${idle.load[1]} idle, ${attacked.load[0]} → ${attacked.load[1]} under attack.`,
          ].join(" "),
          figures,
          notes: [
            `Issue 21's targets: RSS under ${RSS_TARGET_MB} MiB ${rssMet ? "met" : "not met"} (${rssMax.toFixed(0)} MiB), \`/versions\` p99 under ${P99_TARGET_MS} ms ${p99Met ? "met" : "not met"} (${attackProbes.p99.toFixed(1)} ms).`,
            slowProbesText(attacked),
            ...kinds.map((k) => `${k}: ${countsText(counts[k])}.`),
            ...(kinds.includes("slow-download") && !file.uri ? [`The visitor's ${SHAPE.uploadBytes / 2 ** 20} MiB file for the downloads was refused (${file.refusal}): no downloads ran.`] : []),
            ...(attacked.probesTimedOut + idle.probesTimedOut > 0 ? [`Probes unanswered after ${PROBE_TIMEOUT_MS / 1000} s, counted as ${PROBE_TIMEOUT_MS / 1000} s (so the figure is a lower bound): ${idle.probesTimedOut} idle, ${attacked.probesTimedOut} under attack.`] : []),
            ...(attacked.probeErrors + idle.probeErrors > 0 ? [`Probes that failed (not in the figures): ${idle.probeErrors} idle, ${attacked.probeErrors} under attack.`] : []),
            ...(attacked.probesNotSent + idle.probesNotSent > 0 ? [`Probes not sent because ${MAX_PROBES_IN_FLIGHT} were still waiting (the server stalled): ${idle.probesNotSent} idle, ${attacked.probesNotSent} under attack.`] : []),
          ],
        };
      } finally {
        attacker?.kill("SIGKILL");
        closeClient();
        await server.stop();
      }
    },
  };
}
