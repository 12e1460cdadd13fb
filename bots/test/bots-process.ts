/**
 * The bots service as its own process, started like `npm start` starts it, so
 * a test can kill it with SIGKILL: what survives is what was on disk.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { TestServer } from "../../chat-server/test/harness.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { freePort } from "./stack.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export class BotsProcess {
  private constructor(private readonly child: ChildProcess, private readonly exited: Promise<void>) {}

  static async start(env: { homeserverPort: number; botsPort: number; dataDir: string }): Promise<BotsProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", "bots/src/main.ts"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ONSAFE_PORT: String(env.homeserverPort), ONSAFE_BOTS_PORT: String(env.botsPort), ONSAFE_DATA_DIR: env.dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("onsafe bots are running")) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`the bots service exited with ${code}: ${output}`)));
    });
    return new BotsProcess(child, new Promise((resolve) => child.once("exit", () => resolve())));
  }

  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited;
  }
}

/**
 * For tests that kill the bots service: our homeserver in this process and the
 * bots service as its own process on the same data directory, both stopped after
 * the file's tests, with the SDK clients the tests made. `restart()` starts the
 * service again after a `bots.kill()`.
 */
export function useKillableBots(): { hs: TestServer; bots: BotsProcess; clients: SdkClient[]; restart(): Promise<void> } {
  let botsPort = 0;
  const env = {
    clients: [] as SdkClient[],
    async restart() {
      env.bots = await BotsProcess.start({ homeserverPort: env.hs.config.port, botsPort, dataDir: env.hs.config.dataDir });
    },
  } as { hs: TestServer; bots: BotsProcess; clients: SdkClient[]; restart(): Promise<void> };
  beforeAll(async () => {
    botsPort = await freePort();
    env.hs = await TestServer.start({ botsUrl: `http://127.0.0.1:${botsPort}` });
    await env.restart();
  });
  afterAll(async () => {
    for (const client of env.clients) client.stop();
    await env.bots?.kill();
    await env.hs?.close();
  });
  return env;
}
