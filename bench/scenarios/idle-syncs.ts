/**
 * Idle scale (issue 9, item 3): N visitors each hold an open long-poll
 * `/sync`; the server's RSS is read with all of them waiting, beside its idle
 * RSS after start in the same run; then probes show the server still answers
 * promptly. Loopback only; the long-polls time out by themselves.
 */
import { type Scenario, type Section, stat } from "../harness/report.ts";
import { call, closeClient, registerVisitor } from "../http-client.ts";
import { startServerProcess } from "../server-process.ts";

const POLL_TIMEOUT_MS = 25_000;

export function idleSyncs(connections = 10_000): Scenario {
  return {
    id: "idle-syncs",
    async run(): Promise<Section> {
      const server = await startServerProcess(18500 + Math.floor(Math.random() * 400));
      const { url } = server;
      try {
        await new Promise((r) => setTimeout(r, 1000));
        const idle = server.rssMb();
        const tokens: { token: string; since: string }[] = [];
        for (let i = 0; i < connections; i += 50) {
          tokens.push(...await Promise.all(Array.from({ length: Math.min(50, connections - i) }, async () => {
            const reg = await registerVisitor(url);
            const sync = await call(url, "GET", "/_matrix/client/v3/sync?timeout=0", reg.access_token);
            return { token: reg.access_token as string, since: sync.next_batch as string };
          })));
        }
        const afterSetup = server.rssMb();
        let answeredEarly = 0;
        let failed = 0;
        const polls: Promise<void>[] = [];
        // Opened 500 at a time, as clients arriving over a few seconds would.
        for (let i = 0; i < tokens.length; i += 500) {
          for (const t of tokens.slice(i, i + 500)) {
            polls.push(call(url, "GET", `/_matrix/client/v3/sync?timeout=${POLL_TIMEOUT_MS}&since=${t.since}`, t.token).then(() => { answeredEarly++; }, () => { failed++; }));
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 3000));
        const waiting = server.rssMb();
        const early = answeredEarly;
        const probes: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t0 = performance.now();
          await call(url, "GET", "/_matrix/client/versions");
          probes.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 100));
        }
        await Promise.all(polls);
        const idleFigure = { what: "server RSS idle after start (same run)", value: idle };
        return {
          id: "idle-syncs",
          title: "Idle scale: open long-polls",
          method: `${connections.toLocaleString("en")} anonymous visitors registered, then each holds one \`/sync?timeout=${POLL_TIMEOUT_MS}\`, opened 500 at a time 100 ms apart; RSS read from /proc 3 s after the last opened. Homeserver as a child process from the \`npm start\` bundle. ${early} long-polls returned before their timeout (should be 0: nothing happened), ${failed} connections failed.`,
          figures: [
            { what: `server RSS with ${connections.toLocaleString("en")} long-polls waiting`, unit: "MB", value: waiting, baseline: idleFigure, target: { max: 500, source: "issue 9" } },
            { what: `server RSS after registering the ${connections.toLocaleString("en")} visitors, before the long-polls`, unit: "MB", value: afterSetup, baseline: idleFigure },
            { what: "`GET /versions` round trip while they all wait (20 probes, 100 ms apart)", unit: "ms", value: stat(probes) },
          ],
          notes: failed > 0 || early > 0 ? [`${failed} connections failed and ${early} long-polls returned early: the figure is not clean.`] : undefined,
        };
      } finally {
        closeClient();
        await server.stop();
      }
    },
  };
}
