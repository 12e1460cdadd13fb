/**
 * Closed-loop HTTP load for the write-throughput scenario: senders that each
 * PUT their next request as soon as the previous one is answered, in measured
 * slices, with the serving process's and this process's CPU counted per slice.
 */
import { readFileSync } from "node:fs";
import { call } from "./http-client.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One client: its access token, the path of its n-th request, and its next n. */
export interface Sender { token?: string; path(seq: number): string; next: number }

/** What one load (the homeserver or the empty handler) did over its measured slices. */
export interface Tally {
  /** Latencies of the answers that arrived inside a measured slice. */
  latencies: number[];
  /** Each measured slice's rate, answers per second. */
  rates: number[];
  /** Every successful answer, warm-ups included. */
  acknowledged: number;
  failures: Map<string, number>;
  /** CPU seconds the serving process, and this process (the clients), used inside measured slices. */
  serverCpuSeconds: number;
  clientCpuSeconds: number;
  measuredMs: number;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The senders of one server, each with one keep-alive connection (`bench/http-client.ts`). */
export class HttpLoad {
  readonly tally: Tally = { latencies: [], rates: [], acknowledged: 0, failures: new Map(), serverCpuSeconds: 0, clientCpuSeconds: 0, measuredMs: 0 };

  constructor(
    private readonly url: string,
    private readonly pid: number,
    private readonly senders: Sender[],
    /** The bodies, sent in turn. */
    private readonly bodies: readonly unknown[],
    /** Whether an answer is a success. */
    private readonly ok: (reply: any) => boolean,
  ) {}

  /**
   * One event from each sender alone, so every connection is open before any
   * clock starts: a new connection's first request, made while the others
   * keep the server busy, waited up to 2-4 s in trial runs.
   */
  async connect(): Promise<void> {
    await Promise.all(this.senders.map((sender) => this.send(sender)));
  }

  /** Runs the load for `warmupMs` unmeasured, then `measureMs` measured (0: a warm-up only). */
  async slice(warmupMs: number, measureMs: number): Promise<void> {
    const from = performance.now() + warmupMs;
    const to = from + measureMs;
    let cpuFrom = 0;
    let cpuTo = 0;
    let clientFrom = process.cpuUsage();
    let clientCpu = process.cpuUsage();
    let answered = 0;
    const cpuMarks = Promise.all([
      sleep(from - performance.now()).then(() => { cpuFrom = cpuSeconds(this.pid); clientFrom = process.cpuUsage(); }),
      sleep(to - performance.now()).then(() => { cpuTo = cpuSeconds(this.pid); clientCpu = process.cpuUsage(clientFrom); }),
    ]);
    const load = Promise.all(this.senders.map(async (sender) => {
      while (performance.now() < to) {
        const start = performance.now();
        if (!await this.send(sender)) continue;
        const end = performance.now();
        if (end >= from && end < to) {
          answered++;
          this.tally.latencies.push(end - start);
        }
      }
    }));
    // A request that never comes back must not hold the run.
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("load did not finish")), to - performance.now() + 15_000); });
    try {
      await Promise.race([Promise.all([load, cpuMarks]), watchdog]);
    } finally {
      clearTimeout(timer);
    }
    if (measureMs === 0) return;
    this.tally.rates.push(answered / (measureMs / 1000));
    this.tally.serverCpuSeconds += cpuTo - cpuFrom;
    this.tally.clientCpuSeconds += (clientCpu.user + clientCpu.system) / 1e6;
    this.tally.measuredMs += measureMs;
  }

  private async send(sender: Sender): Promise<boolean> {
    const seq = sender.next++;
    try {
      const reply = await call(this.url, "PUT", sender.path(seq), sender.token, this.bodies[seq % this.bodies.length]);
      if (this.ok(reply)) {
        this.tally.acknowledged++;
        return true;
      }
      this.fail(String(reply?.errcode ?? "unexpected answer"));
    } catch (error) {
      this.fail((error as NodeJS.ErrnoException).code ?? String(error));
      await sleep(10);
    }
    return false;
  }

  private fail(kind: string): void {
    this.tally.failures.set(kind, (this.tally.failures.get(kind) ?? 0) + 1);
  }
}

