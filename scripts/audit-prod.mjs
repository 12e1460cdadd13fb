// `npm run audit:prod`: `npm audit --omit=dev`, judged as issue 10 asks: no high
// or critical advisory in what the service runs. Exit 0: none; 1: some (listed);
// 2: not checked, because the registry's advisory service could not be asked
// (on the build machines it answers 405: see docs/THREAT_MODEL.md "Dependencies").
// `npm run audit:prod -- report.json` judges a report saved elsewhere with
// `npm audit --omit=dev --json > report.json` (same lockfile, a machine that can ask).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const saved = process.argv[2];
const run = saved
  ? { stdout: readFileSync(saved, "utf8"), stderr: "", status: 0 }
  : spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit gave no report (exit ${run.status}): ${(run.stderr || run.stdout).trim().split("\n").at(-1) ?? ""}`);
  process.exit(2);
}
if (report.auditReportVersion === undefined) {
  console.error(`Not checked: the registry's advisory service could not be asked (${report.message ?? report.error?.summary ?? "no report"}).`);
  process.exit(2);
}
const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === "high" || v.severity === "critical");
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit --omit=dev: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`);
for (const v of serious) {
  const via = v.via.map((x) => (typeof x === "string" ? `via ${x}` : `${x.title} (${x.url})`)).join("; ");
  console.log(`- ${v.name} ${v.range}: ${v.severity}: ${via}`);
}
process.exit(serious.length > 0 ? 1 : 0);
