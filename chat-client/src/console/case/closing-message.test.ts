import { describe, expect, it } from "vitest";
import { CRISIS_LINES } from "../../words/content.ts";
import { closingMessage } from "./closing-message.ts";

describe("the prepared closing message", () => {
  it("says in each language how to come back, with every crisis line once", () => {
    expect(closingMessage("en")).toMatch(/^Thank you for talking with me today\. .*\nWhenever you want to talk again, write here and a counsellor will answer\./);
    expect(closingMessage("ko")).toMatch(/^오늘 이야기해 주셔서 고마워요\. .*\n다시 이야기하고 싶을 때 언제든 여기에 적어 주세요\. 상담사가 답할게요\./);
    for (const lang of ["ko", "en"] as const) {
      const message = closingMessage(lang);
      expect(message).not.toContain("{");
      for (const line of CRISIS_LINES.lines) {
        expect(message).toContain(line.name[lang]);
        // "Police 112", not "Police 112: 112".
        expect(message.split(line.number).length - 1).toBe(1);
      }
    }
  });
});
