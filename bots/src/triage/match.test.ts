import { describe, expect, it } from "vitest";
import { promptById } from "./bank.ts";
import { crisisWordLanguage, personRequestLanguage } from "./phrases.ts";
import { matchOption, normalise, optionNumber, scriptLanguage } from "./match.ts";

const category = promptById("category")!;
const picked = (body: string) => matchOption(category, body)?.id ?? null;

describe("matching typed answers", () => {
  it.each([
    ["2", 2],
    ["2.", 2],
    ["(2)", 2],
    ["２", 2],
    ["②", 2],
    ["2번", 2],
    ["2번이요", 2],
    ["2 번째", 2],
    ["two", 2],
    ["Two!", 2],
    ["두 번째", 2],
    ["첫번째요", 1],
    ["option 3", 3],
  ])("reads %s as option %i", (typed, n) => {
    expect(optionNumber(normalise(typed))).toBe(n);
  });

  it("takes a label or alias in either language, whatever the case, spacing or punctuation", () => {
    expect(picked("4")).toBe("deepfake");
    expect(picked("딥페이크")).toBe("deepfake");
    expect(picked("딥페이크요")).toBe("deepfake");
    expect(picked("딥 페이크!")).toBe("deepfake");
    expect(picked("Deepfake")).toBe("deepfake");
    expect(picked("DEEP FAKE.")).toBe("deepfake");
    expect(picked("deepfak")).toBe("deepfake");
    expect(picked("딥패이크")).toBe("deepfake");
    expect(picked("몸캠 피싱")).toBe("sextortion");
    expect(picked("Someone threatens to share my images (sextortion)")).toBe("sextortion");
    expect(picked("온라인에서 성희롱을 당했어요")).toBe("harassment");
    expect(picked("8")).toBe("skip");
    expect(picked("talk to someone")).toBe("skip");
  });

  it("leaves everything else as the victim's own words", () => {
    expect(picked("9")).toBeNull();
    expect(picked("")).toBeNull();
    expect(picked("🙏")).toBeNull();
    expect(picked("2 weeks ago he posted a deepfake of me")).toBeNull();
    expect(picked("어제 협박 문자가 왔어요")).toBeNull();
  });

  it("reads yes and no in both languages where they are options", () => {
    const wish = promptById("risk_wish")!;
    for (const yes of ["네", "예", "응", "yes", "Y", "Yeah"]) expect(matchOption(wish, yes)?.id).toBe("yes");
    for (const no of ["아니요", "아뇨", "no", "Nope"]) expect(matchOption(wish, no)?.id).toBe("no");
    expect(matchOption(wish, "pass")?.id).toBe("rather_not_say");
  });

  it("tells Korean from English by the script", () => {
    expect(scriptLanguage("안녕하세요")).toBe("ko");
    expect(scriptLanguage("3번")).toBe("ko");
    expect(scriptLanguage("hello")).toBe("en");
    expect(scriptLanguage("3")).toBeNull();
  });
});

describe("crisis words", () => {
  it.each([
    ["죽고싶어요", "ko"],
    ["그냥 다 끝내고 싶고 죽고 싶다", "ko"],
    ["자살", "ko"],
    ["극단적인 선택을 할까 봐", "ko"],
    ["살기 싫어요", "ko"],
    ["I want to KILL MYSELF", "en"],
    ["thinking about suicide", "en"],
    ["I don’t want to live", "en"],
    ["i just want to end my life.", "en"],
  ])("finds %s", (typed, lang) => {
    expect(crisisWordLanguage(typed)).toBe(lang);
  });

  it("leaves ordinary distress and figures of speech alone", () => {
    expect(crisisWordLanguage("너무 무서워서 죽을 것 같아요")).toBeNull();
    expect(crisisWordLanguage("유서 깊은 학교에 다녀요")).toBeNull();
    expect(crisisWordLanguage("I am so scared and ashamed")).toBeNull();
  });
});

describe("requests for a person", () => {
  it.each([
    ["can i just talk to a real person please", "en"],
    ["Can I SPEAK TO SOMEONE?", "en"],
    ["are you a bot", "en"],
    ["상담사랑 얘기하고 싶어요", "ko"],
    ["사람이랑 말하고 싶어요", "ko"],
    ["상담원 연결해 주세요", "ko"],
    ["진짜 사람 맞아요?", "ko"],
  ])("are found anywhere in a sentence: %s", (typed, lang) => {
    expect(personRequestLanguage(typed)).toBe(lang);
  });

  it("leave disclosures and answers alone", () => {
    for (const typed of ["he says he will send my pics to everyone at my school", "deepfake", "2", "네", "어제 그 사람이 협박했어요", "I'm not sure"]) {
      expect(personRequestLanguage(typed)).toBeNull();
    }
  });
});
