/** Runs the real homeserver as a child process on a loopback port with a fresh data dir. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ServerProcess {
  url: string;
  pid: number;
  dataDir: string;
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * `defaultLimits`: run with the server's own limits on visitors; otherwise the
 * per-address sign-up cap and the visitor send budget are lifted and the proof
 * of work made easy, as the load scenarios need (many visitors from one address,
 * sending fast).
 */
export async function startServerProcess(port: number, o: { defaultLimits?: boolean } = {}): Promise<ServerProcess> {
  // The same bundle `npm start` runs.
  execFileSync(process.execPath, ["chat-server/build.mjs"], { stdio: "inherit" });
  const dataDir = mkdtempSync(join(tmpdir(), "onsafe-bench-"));
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), "chat-server/dist/main.js"], {
    env: {
      ...process.env, ONSAFE_PORT: String(port), ONSAFE_DATA_DIR: dataDir,
      // An easy proof of work too: the load scenarios sign up thousands of visitors from this one process.
      ...o.defaultLimits ? {} : { ONSAFE_VISITOR_REGISTRATIONS_PER_HOUR: "100000", ONSAFE_VISITOR_SENDS_PER_MINUTE: "1000000", ONSAFE_POW_MAX_NUMBER: "1000" },
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const stop = async () => {
    // A server that already exited (crashed) sends no further "exit".
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server did not start within 60 s")), 60_000);
      child.stdout!.on("data", (chunk: Buffer) => { if (chunk.toString().includes("is running at")) { clearTimeout(timer); resolve(); } });
      child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}`)); });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    dataDir,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024,
    stop,
  };
}
