/**
 * docs/BENCHMARKS.md from a run's results: the machine, the command, the
 * targets at a glance, then each section's method, figures beside their
 * same-run baselines, and notes. Everything below `KEPT_MARKER` in the
 * existing file is written by hand (earlier runs, investigations, before and
 * after a fix) and kept as it is.
 */
import { type Figure, meets, type Section, type Value } from "./report.ts";

export const KEPT_MARKER = "<!-- bench/run.ts writes everything above this line; what follows is kept by hand. -->";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
}

export interface Results {
  /** ISO time the last run finished. */
  date: string;
  command: string;
  commit: string;
  machine: Machine;
  /** Each section carries the date of the run that measured it (a partial run replaces only its own). */
  sections: (Section & { date: string; commit: string })[];
}

function number(n: number, unit: string): string {
  const digits = unit === "KB" || unit === "MB" || (unit === "ms" && n < 10) || unit === "µs" && n < 10 ? 1 : 0;
  return n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatValue(value: Value, unit: string): string {
  if (typeof value === "number") return `${number(value, unit)} ${unit}`;
  return `${number(value.p50, unit)} / ${number(value.p95, unit)} / ${number(value.p99, unit)} / ${number(value.max, unit)} ${unit} (n=${value.n})`;
}

function targetText(f: Figure): string {
  const t = f.target;
  if (!t) return "";
  const on = typeof f.value === "number" ? "" : `${t.on ?? "p99"} `;
  const bound = t.max !== undefined ? `≤ ${number(t.max, f.unit)}` : `≥ ${number(t.min!, f.unit)}`;
  return `${on}${bound} ${f.unit} (${t.source})`;
}

const verdict = (f: Figure) => ({ true: "met", false: "**missed**", undefined: "" })[String(meets(f)) as "true" | "false" | "undefined"];
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(results: Results, kept: string): string {
  const m = results.machine;
  const lines: string[] = [
    "# Benchmarks",
    "",
    `Command: \`${results.command}\` (\`bench/run.ts\`; give scenario ids to run only those: ${results.sections.map((s) => `\`${s.id}\``).join(", ")}). It starts the real homeserver (the bundle \`npm start\` runs) and bots service on loopback, measures, and writes \`bench/results.json\` and this page. Never part of \`npm test\`.`,
    "",
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. Loopback only. Latest run: ${results.date.slice(0, 16).replace("T", " ")} UTC, commit ${results.commit}.`,
    "",
    "These machines are noisy (other work shares the two cores), so every figure sits beside a baseline measured in the same run: compare a figure with its baseline, not with another day's figure. Distributions are p50 / p95 / p99 / max.",
    "",
    "## Targets",
    "",
    "| figure | measured | target | |",
    "| --- | --- | --- | --- |",
  ];
  for (const s of results.sections) {
    for (const f of s.figures.filter((x) => x.target)) {
      lines.push(`| ${cell(`${s.title}: ${f.what}`)} | ${cell(formatValue(f.value, f.unit))} | ${cell(targetText(f))} | ${verdict(f)} |`);
    }
  }
  for (const s of results.sections) {
    lines.push("", `## ${s.title}`, "", `Measured ${s.date.slice(0, 16).replace("T", " ")} UTC, commit ${s.commit}${s.seconds !== undefined ? `, in ${s.seconds.toFixed(0)} s` : ""} (\`npm run bench -- ${s.id}\`).`, "", s.method, "");
    if (s.figures.length > 0) {
      lines.push("| figure | measured | baseline, same run | target |", "| --- | --- | --- | --- |");
      for (const f of s.figures) {
        const baseline = f.baseline ? `${f.baseline.what}: ${formatValue(f.baseline.value, f.unit)}` : "";
        lines.push(`| ${cell(f.what)} | ${cell(formatValue(f.value, f.unit))} | ${cell(baseline)} | ${cell([targetText(f), verdict(f)].filter(Boolean).join(", "))} |`);
      }
    }
    if (s.notes?.length) lines.push("", ...s.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n\n${KEPT_MARKER}\n\n${kept.replace(/^\n+/, "")}`;
}

/** The hand-written part of an existing docs/BENCHMARKS.md (after the marker), or the whole file if it has none. */
export function keptPart(existing: string): string {
  const at = existing.indexOf(KEPT_MARKER);
  return at === -1 ? existing : existing.slice(at + KEPT_MARKER.length);
}
