import { describe, expect, it } from "vitest";
import { TRIAGE_SUMMARY_FIELD, isTriageSummaryContent } from "@onsafe/schema";
import { triageResult } from "./result.ts";
import { triageSummary } from "./summary.ts";
import { Conversation } from "./test-helpers.ts";

describe("triage summary for the counsellor", () => {
  const c = new Conversation();
  for (const a of ["1", "협박", "24시간 안이에요", "이미 퍼졌어요", "아니요"]) c.send(a);
  c.send("죽고 싶어요");
  const result = triageResult(c.state);
  const notes = [
    { body: "어제부터 계속 DM이 와요\n돈을 보내래요", at: 1764000000000 },
    { body: "죽고 싶어요", at: 1764000060000 },
  ];

  it("carries the result and what the victim wrote in a valid org.onsafe.triage_summary", () => {
    const out = triageSummary(result, notes, "ko");
    expect(out.content.msgtype).toBe("m.notice");
    const field = out.content[TRIAGE_SUMMARY_FIELD];
    expect(isTriageSummaryContent(field)).toBe(true);
    expect(field).toMatchObject({ category: "sextortion", crisis: true, risk: "high", notes });
  });

  it("reads, over the victim's shoulder, only that their answers were passed on, in their language", () => {
    const ko = triageSummary(result, notes, "ko").content;
    expect(ko.body).toBe("답해 주신 내용을 상담사에게 전했어요.");
    expect(ko[TRIAGE_SUMMARY_FIELD]).toMatchObject({ priority: result.priority, deadline: "within_24h" });
    const en = triageSummary(result, [], "en").content;
    expect(en.body).toBe("We've passed your answers to your counsellor.");
    expect(isTriageSummaryContent(en[TRIAGE_SUMMARY_FIELD])).toBe(true);
  });
});
