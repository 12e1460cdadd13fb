/**
 * Idle scale: N visitors each hold an open long-poll `/sync`; the server's RSS
 * is read with all of them waiting, beside its idle RSS in the same run; then
 * one message proves the server still answers promptly. Loopback only.
 *   node --import tsx bench/idle-syncs.ts [connections]
 */
import { call, closeClient, registerVisitor } from "./http-client.ts";
import { startServerProcess } from "./server-process.ts";

const N = Number(process.argv[2] ?? 10_000);

async function main() {
  const server = await startServerProcess(18500 + Math.floor(Math.random() * 400));
  const { url } = server;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = server.rssMb();
    const tokens: { token: string; since: string }[] = [];
    for (let i = 0; i < N; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, N - i) }, async () => {
        const reg = await registerVisitor(url);
        const sync = await call(url, "GET", "/_matrix/client/v3/sync?timeout=0", reg.access_token);
        return { token: reg.access_token as string, since: sync.next_batch as string };
      }));
      tokens.push(...batch);
    }
    const afterSetup = server.rssMb();
    let answered = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const polls: Promise<void>[] = [];
    // Open the long-polls in steps, as clients arriving over a few seconds would.
    for (let i = 0; i < tokens.length; i += 500) {
      for (const t of tokens.slice(i, i + 500)) {
        polls.push(call(url, "GET", `/_matrix/client/v3/sync?timeout=25000&since=${t.since}`, t.token).then(() => { answered++; }, (error: NodeJS.ErrnoException) => { failed++; failures.set(error.code ?? error.message, (failures.get(error.code ?? error.message) ?? 0) + 1); }));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const waiting = server.rssMb();
    // Twenty probes over two seconds: one alone can land on a busy moment.
    const probes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await call(url, "GET", "/_matrix/client/versions");
      probes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    probes.sort((a, b) => a - b);
    const earlyAnswers = answered;
    await Promise.all(polls);
    console.log(JSON.stringify({ connections: N, idleRssMb: idle.toFixed(1), afterRegistrationsRssMb: afterSetup.toFixed(1), withAllWaitingRssMb: waiting.toFixed(1), versionsWhileWaitingMs: { p50: probes[10]!.toFixed(1), max: probes[19]!.toFixed(1) }, answeredBeforeTimeout: earlyAnswers, failedConnections: failed, failureKinds: Object.fromEntries(failures) }, null, 2));
  } finally {
    closeClient();
    await server.stop();
  }
}

await main();
