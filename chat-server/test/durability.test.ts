/**
 * The fast version of the SIGKILL durability check (issue 10); the 20-burst
 * version is durability.deep.test.ts (`npm run check:deep`). The seed is
 * logged; ONSAFE_DURABILITY_SEED repeats a run.
 */
import { describe, expect, it } from "vitest";
import { runDurability } from "./durability-run.ts";

const BURSTS = 3;

describe("the homeserver killed with SIGKILL during bursts of sends", () => {
  it("keeps every acknowledged send exactly once, with a gapless stream, idempotent re-sends and resuming syncs", async () => {
    const seed = Number(process.env.ONSAFE_DURABILITY_SEED) || Date.now() % 2 ** 31;
    console.log(`durability seed ${seed}`);
    const result = await runDurability({ bursts: BURSTS, clients: 12, rooms: 3, killAfterMs: [100, 1200], seed, log: (line) => console.log(line) });
    console.log(JSON.stringify({ ...result, problems: result.problems.length }));
    expect(result.problems.slice(0, 30)).toEqual([]);
    expect(result.bursts).toBe(BURSTS);
    expect(result.acknowledgedInBursts).toBeGreaterThan(0);
  });
});
