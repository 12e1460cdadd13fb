import { describe, expect, it } from "vitest";
import { QUEUE_FIELD, isQueueContent } from "@onsafe/schema";
import { afterHours, crisisMessage, handoffIntro, queueNotice } from "./notices.ts";

const CRISIS_NUMBERS = ["109", "1366", "112", "02-735-8994"];
const body = (o: { content: Record<string, unknown> }) => String(o.content.body);

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

  it("is honest after hours: nobody on shift, when it opens, a message can be left, and the crisis lines", () => {
    const ko = afterHours("ko", "월요일 오전 9시");
    expect(body(ko)).toContain("근무 중인 상담사가 없어요");
    expect(body(ko)).toContain("월요일 오전 9시부터");
    expect(body(ko)).toContain("메시지를 남겨");
    const en = afterHours("en", "Monday 9:00");
    expect(body(en)).toContain("No companion is on shift right now");
    expect(body(en)).toContain("Monday 9:00");
    for (const number of CRISIS_NUMBERS) {
      expect(body(ko)).toContain(number);
      expect(body(en)).toContain(number);
    }
  });

  it("gives every crisis line, that the victim is not alone, and that a companion is coming", () => {
    const ko = body(crisisMessage("ko"));
    expect(ko).toContain("혼자가 아니에요");
    expect(ko).toContain("상담사가 최대한 빨리");
    expect(ko).toContain("중앙디지털성범죄피해자지원센터 02-735-8994 · 24시간");
    const en = body(crisisMessage("en"));
    expect(en).toContain("You are not alone");
    expect(en).toContain("as soon as possible");
    for (const number of CRISIS_NUMBERS) expect(en).toContain(number);
    expect(body(crisisMessage(null))).toMatch(/혼자가 아니에요[\s\S]*You are not alone/);
  });

  it("says a companion has joined and the bot is leaving", () => {
    expect(body(handoffIntro("ko"))).toContain("상담사가 들어왔어요");
    expect(body(handoffIntro("en"))).toContain("A companion has joined");
  });
});
