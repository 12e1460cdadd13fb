/**
 * What one proof of work costs in Node (docs/PROOF-OF-WORK.md, "Measured"):
 * `node --import tsx bench/pow-cost.ts [maxnumber] [samples]`.
 *  - the shared solver (`solveProofOfWork`: @noble/hashes SHA-256 in a loop),
 *    as our tests, benchmarks and bots pay it;
 *  - a tight loop of node:crypto hashes, nearer what a flood written for speed pays
 *    (`openssl speed -evp sha256 -bytes 64` gives the bound of one core).
 * Challenges come from the server's own service (services/proof-of-work.ts) and each
 * payload is checked by it.
 */
import { createHash } from "node:crypto";
import { solveProofOfWork } from "@onsafe/schema";
import { ProofOfWork } from "../chat-server/src/services/proof-of-work.ts";

const maxNumber = Number(process.argv[2] ?? 100_000);
const samples = Number(process.argv[3] ?? 20);
const pow = new ProofOfWork({ maxNumber, ttlMs: 10 * 60 * 1000, maxRemembered: 10_000 });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const report = (what: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${what}: mean ${mean.toFixed(0)} ms, median ${percentile(sorted, 0.5).toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms, worst ${sorted.at(-1)!.toFixed(0)} ms (${times.length} challenges, maxnumber ${maxNumber})`);
};

const shared: number[] = [];
const native: number[] = [];
for (let i = 0; i < samples; i++) {
  const challenge = await pow.challenge();
  let t = performance.now();
  const payload = await solveProofOfWork(challenge);
  shared.push(performance.now() - t);
  if (!(await pow.verify(payload))) throw new Error("the server refused the shared solver's payload");

  const other = await pow.challenge();
  t = performance.now();
  let n = 0;
  for (; n <= maxNumber; n++) if (createHash("sha256").update(other.salt + n).digest("hex") === other.challenge) break;
  native.push(performance.now() - t);
  const solved = Buffer.from(JSON.stringify({ algorithm: other.algorithm, challenge: other.challenge, number: n, salt: other.salt, signature: other.signature })).toString("base64");
  if (!(await pow.verify(solved))) throw new Error("the server refused the tight loop's payload");
}
report("shared solver (solveProofOfWork)", shared);
report("tight node:crypto loop", native);
