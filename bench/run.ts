/**
 * `npm run bench` (issue 9): builds the web app, runs each benchmark scenario
 * one after another against the real service on loopback, and writes
 * `bench/results.json` and `docs/BENCHMARKS.md`. Every scenario is bounded in
 * count and time and stops by itself; one that fails is reported as failed
 * and the others still run.
 *   npm run bench                     all scenarios
 *   npm run bench -- delivery web     only these (their sections are replaced, the rest kept)
 */
import "@onsafe/schema/polyfills";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem, type } from "node:os";
import { fileURLToPath } from "node:url";
import { keptPart, type Machine, renderMarkdown, type Results } from "./harness/markdown.ts";
import type { Scenario, Section } from "./harness/report.ts";
import { attack } from "./scenarios/attack.ts";
import { botCrypto } from "./scenarios/bot-crypto.ts";
import { botMemory } from "./scenarios/bot-memory.ts";
import { conversationStart } from "./scenarios/conversation-start.ts";
import { delivery } from "./scenarios/delivery.ts";
import { idleSyncs } from "./scenarios/idle-syncs.ts";
import { web } from "./scenarios/web.ts";
import { writeThroughput } from "./scenarios/write-throughput.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = `${ROOT}bench/results.json`;
const DOC = `${ROOT}docs/BENCHMARKS.md`;
/** The whole run must stay within issue 9's ten minutes on the 2-core machine. */
const BUDGET_S = 600;

const SCENARIOS: Scenario[] = [
  delivery(),
  writeThroughput,
  idleSyncs(),
  conversationStart(),
  web(),
  botCrypto,
  botMemory,
  attack(),
];

function machine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

function commit(): string {
  const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  // The run's own outputs do not count as changes to the code measured.
  const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/BENCHMARKS.md", ":!bench/results.json"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
  return dirty ? `${head} with uncommitted changes` : head;
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`no scenario ${unknown.join(", ")}; there are ${SCENARIOS.map((s) => s.id).join(", ")}`);
  const chosen = asked.length > 0 ? SCENARIOS.filter((s) => asked.includes(s.id)) : SCENARIOS;
  const started = performance.now();

  if (chosen.some((s) => s.id === "web")) {
    console.log("building the web app…");
    execFileSync("npm", ["run", "build", "-w", "@onsafe/chat-client"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
  const at = commit();
  const previous: Results | null = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) as Results : null;
  const sections = new Map((previous?.sections ?? []).map((s) => [s.id, s]));
  for (const scenario of chosen) {
    console.log(`${scenario.id}…`);
    const t = performance.now();
    let section: Section;
    try {
      section = await scenario.run();
    } catch (error) {
      section = { id: scenario.id, title: scenario.id, method: "The scenario failed; nothing was measured.", figures: [], notes: [`Failed: ${(error as Error).message}`] };
      console.error(`${scenario.id} failed:`, error);
    }
    section.seconds = (performance.now() - t) / 1000;
    sections.set(scenario.id, { ...section, date: new Date().toISOString(), commit: at });
    console.log(`${scenario.id}: ${section.seconds.toFixed(0)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  const results: Results = {
    date: new Date().toISOString(),
    command: asked.length > 0 ? `npm run bench -- ${asked.join(" ")}` : "npm run bench",
    commit: at,
    machine: machine(),
    // In the order the scenarios are listed, whichever run measured them.
    sections: SCENARIOS.map((s) => sections.get(s.id)).filter((s) => s !== undefined),
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(DOC, renderMarkdown(results, keptPart(existsSync(DOC) ? readFileSync(DOC, "utf8") : "")));
  console.log(`wrote bench/results.json and docs/BENCHMARKS.md; ${seconds.toFixed(0)} s in all${seconds > BUDGET_S ? `, over the ${BUDGET_S} s budget` : ""}`);
}

await main();
// Clients and timers of the scenarios may linger; the run is over.
process.exit(0);
