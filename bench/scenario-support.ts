/** Small pieces the benchmark scenarios share: cleaning up on any exit, polling for a condition, rounding a Stat. */
import { type Stat } from "./harness/report.ts";

/** Undo steps run last-in first-out, each even when an earlier one fails. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        console.error("bench cleanup:", error);
      }
    }
  }
}

/** Resolves once `predicate` holds, polling; throws after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `s` with every value rounded to `digits` decimals. */
export function rounded(s: Stat, digits: number): Stat {
  const r = (v: number) => Number(v.toFixed(digits));
  return { p50: r(s.p50), p95: r(s.p95), p99: r(s.p99), max: r(s.max), n: s.n };
}
