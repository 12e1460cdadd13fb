// `npm start`: builds and runs the homeserver and the bots service together,
// building the web app first if it changed. The homeserver prints its URL and
// the demo companion's login, this script the victim app's URL; the bots
// service is restarted (with a growing pause) if it stops unexpectedly.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientIfStale, builtIndex } from "./client-build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
await import("../chat-server/build.mjs");
await import("../bots/build.mjs");
// An operator's own ONSAFE_CLIENT_DIR is served as it is.
const clientDir = process.env.ONSAFE_CLIENT_DIR;
if (!clientDir) await buildClientIfStale();
const clientIndex = clientDir ? join(resolve(process.env.INIT_CWD ?? process.cwd(), clientDir), "index.html") : builtIndex;

const port = Number(process.env.ONSAFE_PORT ?? 8008);
const host = process.env.ONSAFE_HOST ?? "127.0.0.1";
const env = { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() };
const run = (entry) => spawn(process.execPath, ["--enable-source-maps", entry], { cwd: root, env, stdio: "inherit" });

let stopping = false;
const homeserver = run("chat-server/dist/main.js");
homeserver.on("exit", (code) => {
  if (!stopping) console.error(`The homeserver stopped (exit code ${code}).`);
  stopping = true;
  bots?.kill("SIGTERM");
  process.exitCode = code ?? 1;
});

await waitForHomeserver();
if (!stopping) {
  const appUrl = `${process.env.ONSAFE_PUBLIC_URL ?? `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`}/`;
  console.log(existsSync(clientIndex) ? `The victim app is at ${appUrl}` : `The web app is not built; ${appUrl} says how to build it.`);
}
let bots;
let pauseMs = 1000;
function startBots() {
  if (stopping) return;
  const startedAt = Date.now();
  bots = run("bots/dist/main.js");
  bots.on("exit", (code) => {
    if (stopping) return;
    // A bots service that ran a while gets a quick restart; one that keeps failing waits longer each time.
    pauseMs = Date.now() - startedAt > 60_000 ? 1000 : Math.min(pauseMs * 2, 60_000);
    console.error(`The bots service stopped (exit code ${code}); starting it again in ${pauseMs / 1000} s.`);
    setTimeout(startBots, pauseMs);
  });
}
startBots();

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    bots?.kill(signal);
    homeserver.kill(signal);
  });
}

async function waitForHomeserver() {
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/_matrix/client/versions`;
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
