import { describe, expect, it } from "vitest";
import { CALL_FIELD, QUEUE_FIELD, isCallLines, isQueueContent } from "@onsafe/schema";
import { afterHours, crisisMessage, handoffIntro, queueNotice, threatSteps } from "./notices.ts";

const CRISIS_NUMBERS = ["109", "1366", "112", "02-735-8994"];
const body = (o: { content: Record<string, unknown> }) => String(o.content.body);
const monday = (lang: "ko" | "en") => (lang === "ko" ? "월요일 오전 9시" : "Monday 9:00");

describe("what the bot says around the queue", () => {
  it("tells the place in the queue and the expected wait, warmly, with a valid org.onsafe.queue", () => {
    const ko = queueNotice("ko", 3, 12);
    expect(ko.content.msgtype).toBe("m.notice");
    expect(body(ko)).toContain("3번째");
    expect(body(ko)).toContain("12분");
    expect(ko.content[QUEUE_FIELD]).toEqual({ position: 3, expected_wait_minutes: 12 });
    expect(isQueueContent(ko.content[QUEUE_FIELD])).toBe(true);
    const en = queueNotice("en", 1, null);
    expect(body(en)).toContain("You're next.");
    expect(body(en)).toContain("as soon as we can");
    expect(isQueueContent(en.content[QUEUE_FIELD])).toBe(true);
  });

  it("speaks of waits in words people use", () => {
    expect(body(queueNotice("en", 2, 0.4))).toContain("about 1 minute.");
    expect(body(queueNotice("en", 2, 25))).toContain("about 25 minutes.");
    expect(body(queueNotice("en", 2, 60))).toContain("about 1 hour.");
    expect(body(queueNotice("ko", 2, 150))).toContain("3시간");
  });

  it("is honest after hours: nobody on shift, when it opens, a message can be left, and the crisis lines as text and call buttons", () => {
    const ko = afterHours("ko", monday);
    expect(body(ko)).toContain("근무 중인 상담사가 없어요");
    expect(body(ko)).toContain("월요일 오전 9시부터");
    expect(body(ko)).toContain("메시지를 남겨");
    const en = afterHours("en", monday);
    expect(body(en)).toContain("No counsellor is on shift right now");
    expect(body(en)).toContain("Monday 9:00");
    expect(body(en)).not.toMatch(/finding|companion/);
    for (const number of CRISIS_NUMBERS) {
      expect(body(ko)).toContain(number);
      expect(body(en)).toContain(number);
    }
    expect(isCallLines(en.content[CALL_FIELD])).toBe(true);
    expect(body(afterHours(null, monday))).toMatch(/월요일 오전 9시[\s\S]*Monday 9:00/);
  });

  it("gives every crisis line, that the victim is not alone, and that a counsellor is being called; after hours, no promise of a person", () => {
    const ko = body(crisisMessage("ko"));
    expect(ko).toContain("혼자가 아니에요");
    expect(ko).toContain("지금 상담사를 부르고 있어요");
    expect(ko).toContain("중앙디지털성범죄피해자지원센터 02-735-8994 · 24시간");
    const en = crisisMessage("en");
    expect(body(en)).toContain("You are not alone");
    expect(body(en)).toContain("A counsellor is being called now");
    for (const number of CRISIS_NUMBERS) expect(body(en)).toContain(number);
    expect(en.content[CALL_FIELD]).toEqual([
      { number: "109", label: "Suicide prevention line 109" },
      { number: "1366", label: "Women's emergency line 1366 (also digital sex crime counselling)" },
      { number: "112", label: "Police 112" },
    ]);
    expect(body(crisisMessage(null))).toMatch(/혼자가 아니에요[\s\S]*You are not alone/);
    const closed = body(crisisMessage("en", { nextOpening: monday }));
    expect(closed).toContain("they answer day and night");
    expect(closed).toContain("Monday 9:00");
    expect(closed).not.toMatch(/being called|soon|finding/);
    expect(body(crisisMessage("en", { nextOpening: null }))).not.toContain("on shift");
  });

  it("gives three steps for a threat due today, from CONTENT.md", () => {
    const en = threatSteps("en");
    expect(body(en)).toMatch(/^Please do these three things now:\n1\. Don't pay them or reply to them\.\n2\. .*\n3\. A counsellor is being called now/);
    expect((en.content[CALL_FIELD] as { number: string }[]).map((l) => l.number)).toEqual(["1366", "112"]);
    expect(body(threatSteps("ko", { nextOpening: monday }))).toContain("여성긴급전화 1366");
  });

  it("says a counsellor has joined and the bot is leaving", () => {
    expect(body(handoffIntro("ko"))).toContain("상담사가 들어왔어요");
    expect(body(handoffIntro("en"))).toContain("A counsellor has joined");
  });
});
