import { describe, expect, it } from "vitest";
import { KEPT_MARKER, keptPart, renderMarkdown, type Results } from "./markdown.ts";
import { meets, stat } from "./report.ts";

describe("benchmark figures", () => {
  it("takes nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(stat(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, n: 100 });
    expect(stat([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7, n: 1 });
    expect(() => stat([])).toThrow("no samples");
  });

  it("checks a target on the part of a distribution it names", () => {
    const value = { p50: 10, p95: 40, p99: 70, max: 90, n: 100 };
    expect(meets({ what: "x", unit: "ms", value, target: { on: "p99", max: 60, source: "t" } })).toBe(false);
    expect(meets({ what: "x", unit: "ms", value, target: { on: "p95", max: 60, source: "t" } })).toBe(true);
    expect(meets({ what: "x", unit: "events/s", value: 2999, target: { min: 3000, source: "t" } })).toBe(false);
    expect(meets({ what: "x", unit: "MB", value: 300 })).toBeUndefined();
  });
});

describe("docs/BENCHMARKS.md", () => {
  const results: Results = {
    date: "2026-11-26T12:00:00.000Z",
    command: "npm run bench",
    commit: "abc1234",
    machine: { cpus: 2, cpuModel: "CPU", memoryGiB: 24, os: "Linux", node: "v20.20.2" },
    sections: [{
      id: "delivery", title: "Delivery", method: "How.", date: "2026-11-26T12:00:00.000Z", commit: "abc1234", seconds: 12,
      figures: [{ what: "send → sync", unit: "ms", value: { p50: 4, p95: 20, p99: 75, max: 90, n: 10 }, baseline: { what: "round trip", value: { p50: 1, p95: 2, p99: 3, max: 4, n: 10 } }, target: { on: "p99", max: 60, source: "issue 9" } }],
      notes: ["A note | with a pipe."],
    }],
  };

  it("shows each figure beside its baseline and target, and marks a missed target", () => {
    const page = renderMarkdown(results, "\n## History\nkept words\n");
    expect(page).toContain("| Delivery: send → sync | 4.0 / 20 / 75 / 90 ms (n=10) | p99 ≤ 60 ms (issue 9) | **missed** |");
    expect(page).toContain("round trip: 1.0 / 2.0 / 3.0 / 4.0 ms (n=10)");
    expect(page).toContain("- A note | with a pipe.");
    expect(page.endsWith(`${KEPT_MARKER}\n\n## History\nkept words\n`)).toBe(true);
  });

  it("keeps what follows the marker, or a whole page written before there was one", () => {
    const page = renderMarkdown(results, "## History\n");
    // Written again from itself, the page stays the same: the kept part does not grow.
    expect(renderMarkdown(results, keptPart(page))).toBe(page);
    expect(keptPart("# Old page\n")).toBe("# Old page\n");
  });
});
