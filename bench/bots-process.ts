/**
 * The bots service as its own process, from the bundle `npm start` runs, for
 * benchmarks that measure it from outside: RSS from `/proc/<pid>/status`, and
 * through a probe loaded before the bundle (bench/bots-memory-probe.mjs, over
 * the IPC channel) its heap after a forced full GC and what its in-memory
 * IndexedDB holds. `--expose-gc` and the probe are the only differences from
 * `npm start`; the probe does nothing until asked.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROBE = fileURLToPath(new URL("bots-memory-probe.mjs", import.meta.url));

export interface IndexedDbStoreSize {
  db: string;
  store: string;
  records: number;
  /** Sum of the records' v8-serialized sizes. */
  bytes: number;
}

export interface BotsMemory {
  /** process.memoryUsage() after a full GC. */
  usage: NodeJS.MemoryUsage;
  indexedDb: IndexedDbStoreSize[];
}

const MB = 1024 * 1024;

export class BotsProcess {
  private nextId = 0;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  /** Bundles the bots service (as `npm start` does) and starts it; resolves once it says it is running. */
  static async start(env: { homeserverPort: number; botsPort: number; dataDir: string }): Promise<BotsProcess> {
    execFileSync(process.execPath, ["bots/build.mjs"], { cwd: ROOT, stdio: "inherit" });
    const child = spawn(process.execPath, ["--expose-gc", "--import", PROBE, "--enable-source-maps", "bots/dist/main.js"], {
      cwd: ROOT,
      env: { ...process.env, ONSAFE_PORT: String(env.homeserverPort), ONSAFE_BOTS_PORT: String(env.botsPort), ONSAFE_DATA_DIR: env.dataDir },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output = (output + chunk.toString()).slice(-4000);
          if (output.includes("onsafe bots are running")) resolve();
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        child.once("exit", (code) => reject(new Error(`the bots service exited with ${code}: ${output}`)));
        setTimeout(() => reject(new Error(`the bots service did not start within 60 s: ${output}`)), 60_000).unref();
      });
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    // Keep reading its output (errors only, from the bots' quiet loggers) so its pipes never fill.
    child.stdout!.on("data", () => {});
    child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`bots service: ${chunk}`));
    return new BotsProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident set size now, as the kernel counts it. */
  rssMb(): number {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"))![1]) / 1024;
  }

  /** Memory after a full GC in the service, and its IndexedDB sizes. */
  memory(timeoutMs = 20_000): Promise<BotsMemory> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.child.off("message", onMessage); reject(new Error("the bots service's memory probe did not answer")); }, timeoutMs);
      const onMessage = (message: { type?: string; id?: number; collected?: boolean; error?: string } & Partial<BotsMemory>) => {
        if (message.type !== "memory" || message.id !== id) return;
        clearTimeout(timer);
        this.child.off("message", onMessage);
        if (message.error) reject(new Error(`memory probe: ${message.error}`));
        else if (!message.collected) reject(new Error("memory probe: no gc() (the service was started without --expose-gc)"));
        else resolve({ usage: message.usage!, indexedDb: message.indexedDb! });
      };
      this.child.on("message", onMessage);
      this.child.send({ type: "memory", id });
    });
  }

  /** SIGTERM (the service closes its clients and stores), SIGKILL if it has not exited after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    this.child.kill("SIGTERM");
    await this.exited;
    clearTimeout(timer);
  }
}

export const megabytes = (bytes: number) => bytes / MB;
