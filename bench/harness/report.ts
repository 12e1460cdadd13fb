/**
 * What a benchmark scenario reports (issue 9): sections of figures, each
 * beside a baseline measured in the same run where one applies (these machines
 * are noisy: compare within a run), and the target if it sets one.
 * `bench/run.ts` writes them to `bench/results.json` and `docs/BENCHMARKS.md`.
 */

/** A distribution of samples, in the figure's unit. */
export interface Stat {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

export type Value = number | Stat;

export interface Target {
  /** Which part of a `Stat` the target is about (plain numbers: the number). */
  on?: "p50" | "p95" | "p99" | "max";
  /** At most this (latency, memory, size)… */
  max?: number;
  /** …or at least this (throughput). */
  min?: number;
  /** Where the target comes from, e.g. "issue 9". */
  source: string;
}

export interface Figure {
  /** What was measured, in words a reader of docs/BENCHMARKS.md understands. */
  what: string;
  unit: "ms" | "µs" | "s" | "MB" | "KB" | "events/s" | "requests/s" | "count";
  value: Value;
  /** The same-run reference this figure should be read against. */
  baseline?: { what: string; value: Value };
  target?: Target;
}

export interface Section {
  id: string;
  title: string;
  /** How it was measured: set-up, load, what the clock starts and stops on. */
  method: string;
  figures: Figure[];
  /** Findings, limits, what a missed target was traced to. */
  notes?: string[];
  /** Wall-clock seconds the scenario took. */
  seconds?: number;
}

export interface Scenario {
  id: string;
  /** Runs the measurement; must stop by itself within its own time bound. */
  run(): Promise<Section>;
}

/** Percentiles of `samples` (nearest rank). */
export function stat(samples: readonly number[]): Stat {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1)!, n: sorted.length };
}

/** Whether the figure meets its target; undefined without one. */
export function meets(figure: Figure): boolean | undefined {
  const t = figure.target;
  if (!t) return undefined;
  const v = typeof figure.value === "number" ? figure.value : figure.value[t.on ?? "p99"];
  return (t.max === undefined || v <= t.max) && (t.min === undefined || v >= t.min);
}
