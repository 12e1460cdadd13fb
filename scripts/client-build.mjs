// The web app for `npm start`: built with Vite into chat-client/dist only when
// that build is missing or older than what goes into it, so a start with
// nothing changed costs a few stat calls.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const clientDir = join(root, "chat-client");
export const builtIndex = join(clientDir, "dist", "index.html");

// What goes into the build: the app's sources, pages and build setup, and what it bundles from elsewhere.
const INPUTS = [
  "chat-client/src", "chat-client/public", "chat-client/build", "chat-client/vite.config.ts", "chat-client/package.json",
  "schema/src", "bots/content/crisis-lines.json",
].map((path) => join(root, path));

export async function buildClientIfStale() {
  const pages = readdirSync(clientDir).filter((name) => name.endsWith(".html")).map((name) => join(clientDir, name));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...[...INPUTS, ...pages].map(newestChange))) return;
  console.log("Building the web app (chat-client) …");
  const code = await runVite();
  if (code !== 0) {
    const served = existsSync(builtIndex) ? "the previous build" : "a \"not built\" page at /";
    console.error(`The web app did not build (${code}); the homeserver starts anyway and serves ${served}.`);
  }
}

/** `vite build` in a child process, so Vite's memory is given back instead of staying in the `npm start` supervisor. */
async function runVite() {
  let vite;
  try {
    vite = join(dirname(createRequire(join(clientDir, "package.json")).resolve("vite/package.json")), "bin", "vite.js");
  } catch {
    return "Vite is not installed: run npm ci";
  }
  return new Promise((resolve) => {
    spawn(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: clientDir, stdio: "inherit" })
      .on("exit", (code) => resolve(code === 0 ? 0 : `exit code ${code}`));
  });
}

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  // A folder's own mtime counts too: deleting a file changes only that.
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}
