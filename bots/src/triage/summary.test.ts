import { describe, expect, it } from "vitest";
import { TRIAGE_SUMMARY_FIELD, isTriageSummaryContent } from "@onsafe/schema";
import { triageResult } from "./result.ts";
import { triageSummary } from "./summary.ts";
import { Conversation } from "./test-helpers.ts";

describe("triage summary for the companion", () => {
  const c = new Conversation();
  for (const a of ["1", "협박", "이미 퍼졌어요", "24시간 안이에요", "아니요"]) c.send(a);
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

  it("reads as plain Korean: each answer, the crisis flag and the victim's words quoted", () => {
    const text = String(triageSummary(result, notes, "ko").content.body);
    expect(text).not.toContain("우선순위");
    expect(triageSummary(result, notes, "ko").content[TRIAGE_SUMMARY_FIELD]).toMatchObject({ priority: result.priority });
    expect(text).toContain("위기: 바로 도움이 필요해요");
    expect(text).toContain("겪은 일: 사진·영상을 퍼뜨리겠다고 협박받고 있어요");
    expect(text).toContain("협박 기한: 24시간 안이에요");
    expect(text).toContain("자살 위험 선별: 높음");
    expect(text).toContain("> 어제부터 계속 DM이 와요\n> 돈을 보내래요");
  });

  it("can be written in English, and without notes", () => {
    const text = String(triageSummary(result, [], "en").content.body);
    expect(text).toContain("What happened: Someone threatens to share my images (sextortion)");
    expect(text).toContain("Suicide-risk screen: high");
    expect(text).not.toContain("Written while waiting");
  });
});
