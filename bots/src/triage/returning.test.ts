import { describe, expect, it } from "vitest";
import { languageTold, startTriage } from "./machine.ts";
import { afterReturningAnswer, readReturningAnswer, returningQuestion } from "./returning.ts";
import { bodies, promptIn } from "./test-helpers.ts";

describe("a returning victim's question", () => {
  it("comes first: after the greeting in place of the language question, or alone where the app showed its own", () => {
    const other = startTriage(undefined, returningQuestion(null));
    expect(other.say).toHaveLength(2);
    expect(bodies(other.say)).toMatch(/^안녕하세요/);
    expect(promptIn(other.say)).toEqual({
      id: "previous_case",
      options: [{ id: "yes", label: "네, 알려 주세요 / Yes, they may know" }, { id: "no", label: "아니요, 새로 시작할래요 / No, a fresh start" }],
    });
    expect(other.state.step).toBe("language");
    const app = startTriage({ firstPrompt: "category" }, returningQuestion(null));
    expect(app.say).toHaveLength(1);
    expect(promptIn(app.say)?.id).toBe("previous_case");
    expect(app.state.step).toBe("category");
  });

  it("takes its buttons at any time, typed words only while it is the newest question, and nothing else", () => {
    expect(readReturningAnswer({ body: "x", answer: { prompt_id: "previous_case", option_id: "yes" } }, false)).toBe("yes");
    expect(readReturningAnswer({ body: "x", answer: { prompt_id: "previous_case", option_id: "no" } }, false)).toBe("no");
    expect(readReturningAnswer({ body: "네", answer: { prompt_id: "minor", option_id: "yes" } }, true)).toBeNull();
    expect(readReturningAnswer({ body: "아니요" }, true)).toBe("no");
    expect(readReturningAnswer({ body: "yes" }, false)).toBeNull();
    expect(readReturningAnswer({ body: "he threatens to post my photos" }, true)).toBeNull();
  });

  it("thanks, then asks the open triage question again, in the app's language once it is told", () => {
    const { state } = startTriage(undefined, returningQuestion(null));
    const say = afterReturningAnswer(languageTold(state, "en"), "no");
    expect(bodies(say)).toMatch(/^All right\. We start fresh/);
    expect(promptIn(say)?.id).toBe("category");
    const ko = afterReturningAnswer(startTriage({ firstPrompt: "category" }, returningQuestion(null)).state, "yes");
    expect(bodies(ko)).toMatch(/^고마워요\. 새 상담사에게 전에 이야기했던 걸 알려 둘게요\.\n\nThank you\./);
    expect(promptIn(ko)?.id).toBe("category");
  });
});
