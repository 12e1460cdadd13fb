/**
 * The SIGKILL durability check of issue 10 in full: 20 bursts of sends from
 * many clients, the homeserver killed at a random moment in each (`npm run
 * check:deep`). The seed is logged; ONSAFE_DURABILITY_SEED repeats a run.
 * durability.test.ts is the fast version in `npm test`.
 */
import { describe, expect, it } from "vitest";
import { runDurability } from "./durability-run.ts";

const BURSTS = 20;

describe("the homeserver killed with SIGKILL during 20 bursts of sends", () => {
  it("keeps every acknowledged send exactly once, with a gapless stream, idempotent re-sends and resuming syncs", async () => {
    const seed = Number(process.env.ONSAFE_DURABILITY_SEED) || Date.now() % 2 ** 31;
    console.log(`durability seed ${seed}`);
    const started = Date.now();
    const result = await runDurability({ bursts: BURSTS, clients: 24, rooms: 4, killAfterMs: [50, 2500], seed, log: (line) => console.log(line) });
    console.log(JSON.stringify({ ...result, problems: result.problems.length, seconds: Math.round((Date.now() - started) / 1000) }));
    expect(result.problems.slice(0, 30)).toEqual([]);
    expect(result.bursts).toBe(BURSTS);
    expect(result.acknowledgedInBursts).toBeGreaterThan(0);
  });
});
