import { describe, expect, it } from "vitest";
import { byUrgency, type ListFacts, tierOf, waitingSince } from "./urgency.ts";

const plain: Omit<ListFacts, "roomId"> = { crisis: false, deadline: null, minor: null, waitingSince: null, ended: false };

describe("my conversations by urgency", () => {
  it("puts crisis, then a deadline within 24 hours, then a minor, then a victim waiting for a reply first; ended last", () => {
    const facts: ListFacts[] = [
      { ...plain, roomId: "ended", crisis: true, ended: true },
      { ...plain, roomId: "rest" },
      { ...plain, roomId: "waiting", waitingSince: 1_000 },
      { ...plain, roomId: "minor", minor: true },
      { ...plain, roomId: "deadline", deadline: "within_24h" },
      { ...plain, roomId: "week", deadline: "within_week" },
      { ...plain, roomId: "crisis", crisis: true, deadline: "within_24h" },
    ];
    expect(byUrgency(facts)).toEqual(["crisis", "deadline", "minor", "waiting", "rest", "week", "ended"]);
    expect(tierOf(facts[5]!)).toBe("rest");
  });

  it("within a tier, the longest wait for a reply first, then the order taken", () => {
    const facts: ListFacts[] = [
      { ...plain, roomId: "a", minor: true },
      { ...plain, roomId: "b", minor: true, waitingSince: 5_000 },
      { ...plain, roomId: "c", minor: true, waitingSince: 2_000 },
      { ...plain, roomId: "d", minor: true },
    ];
    expect(byUrgency(facts)).toEqual(["c", "b", "a", "d"]);
  });
});

describe("waiting for a reply", () => {
  const v = (ts: number) => ({ fromVictim: true, fromBot: false, ts });
  const me = (ts: number) => ({ fromVictim: false, fromBot: false, ts });
  const bot = (ts: number) => ({ fromVictim: false, fromBot: true, ts });
  it("since the victim's first message after the companion's last one; a bot's message changes nothing", () => {
    expect(waitingSince([])).toBeNull();
    expect(waitingSince([v(1), me(2)])).toBeNull();
    expect(waitingSince([me(1), v(2), bot(3), v(4)])).toBe(2);
    expect(waitingSince([v(1), me(2), v(3)])).toBe(3);
  });
});
