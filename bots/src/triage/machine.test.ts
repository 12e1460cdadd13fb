import { describe, expect, it } from "vitest";
import { PROMPT_FIELD } from "@onsafe/schema";
import { DONE } from "./machine.ts";
import { triageResult } from "./result.ts";
import { Conversation, bodies, promptIn } from "./test-helpers.ts";

const CRISIS_NUMBERS = ["109", "1366", "112", "02-735-8994"];

describe("triage conversation", () => {
  it("greets in both languages and asks for the language first, with numbered options and a way to a person", () => {
    const c = new Conversation();
    expect(c.last.say).toHaveLength(2);
    expect(bodies(c.last.say)).toContain("안녕하세요");
    expect(bodies(c.last.say)).toContain("Hello");
    const prompt = c.last.say[1].content;
    expect(prompt.msgtype).toBe("m.notice");
    expect(prompt.body).toMatch(/1\. 한국어\n2\. English\n3\. 그냥 상담사와 이야기하고 싶어요 \/ I just want to talk to someone$/);
    expect(prompt[PROMPT_FIELD]).toEqual({
      id: "language",
      options: [
        { id: "ko", label: "한국어" },
        { id: "en", label: "English" },
        { id: "skip", label: "그냥 상담사와 이야기하고 싶어요 / I just want to talk to someone" },
      ],
    });
  });

  it("runs a whole English triage answered by numbers", () => {
    const c = new Conversation();
    for (const n of ["2", "3", "1", "1", "2", "2", "2", "3"]) {
      const step = c.send(n);
      expect(step.consumed).toBe(true);
      expect(step.crisisNow).toBe(false);
    }
    expect(c.asked).toEqual(["language", "category", "images", "deadline", "minor", "risk_wish", "risk_thoughts", "risk_behaviour"]);
    expect(c.last.done).toBe(true);
    expect(c.state.step).toBe(DONE);
    expect(bodies(c.last.say)).toContain("We are finding a companion for you now");
    expect(triageResult(c.state)).toMatchObject({
      language: "en",
      category: "sextortion",
      images: "spread",
      deadline: "within_24h",
      minor: false,
      risk: "none",
      crisis: false,
      skipped: false,
    });
  });

  it("asks in English once English is chosen, and tells the victim it is not their fault", () => {
    const c = new Conversation();
    c.send("English");
    expect(bodies(c.last.say)).toMatch(/Which of these is closest[\s\S]*\n4\. Deepfake or edited sexual images of me\n[\s\S]*\n8\. I just want to talk to someone$/);
    c.send("4");
    expect(bodies(c.last.say)).toContain("This is not your fault.");
    expect(c.asked.at(-1)).toBe("images");
  });

  it("runs a Korean triage answered with typed Korean labels and their usual variants", () => {
    const c = new Conversation();
    for (const typed of ["한국어", "딥페이크요", "잘 모르겠어요", "네, 만 19세 미만이에요", "네", "아니요", "아니요"]) {
      expect(c.send(typed).consumed).toBe(true);
    }
    expect(c.asked).toEqual(["language", "category", "images", "minor", "risk_wish", "risk_thoughts", "risk_behaviour"]);
    expect(bodies(c.last.say)).toContain("지금 상담사를 찾고 있어요");
    // Wishing to be dead is a low risk on the screen: the 109 line is offered on the way out.
    expect(bodies(c.last.say)).toContain("자살예방상담전화 109");
    expect(triageResult(c.state)).toMatchObject({ language: "ko", category: "deepfake", images: "unknown", deadline: null, minor: true, risk: "low" });
  });

  it("takes answers from buttons (org.onsafe.answer), whatever the body says", () => {
    const c = new Conversation();
    c.press("en");
    c.press("harassment");
    expect(c.asked).toEqual(["language", "category", "minor"]);
    c.press("rather_not_say");
    c.send({ body: "whatever the client put", answer: { prompt_id: "risk_wish", option_id: "no" } });
    c.press("no");
    c.press("no");
    expect(c.last.done).toBe(true);
    expect(triageResult(c.state)).toMatchObject({ language: "en", category: "harassment", images: null, minor: null, risk: "none" });
  });

  it("leaves the state it was given untouched, so a failed send can be retried from it", () => {
    const c = new Conversation();
    const before = JSON.stringify(c.state);
    const saved = c.state;
    c.send("1");
    c.send("he filmed me");
    expect(JSON.stringify(saved)).toBe(before);
  });

  it("ignores a button pressed on an earlier prompt, and shows the open one again", () => {
    const c = new Conversation();
    c.press("ko");
    c.press("grooming");
    const step = c.send({ body: "1", answer: { prompt_id: "category", option_id: "other" } });
    expect(step.consumed).toBe(true);
    expect(c.state.answers.category).toBe("grooming");
    expect(c.state.step).toBe("images");
    expect(promptIn(step.say)?.id).toBe("images");
  });

  describe("going straight to a person", () => {
    it("at the first prompt, by button: no language known yet", () => {
      const c = new Conversation();
      const step = c.press("skip");
      expect(step).toMatchObject({ consumed: true, done: true });
      expect(bodies(step.say)).toContain("지금 상담사를 찾고 있어요");
      expect(bodies(step.say)).toContain("We are finding a companion");
      expect(triageResult(c.state)).toMatchObject({ skipped: true, language: null, category: null, risk: "unknown" });
    });

    it("at the first prompt, typed: the words tell the language", () => {
      const en = new Conversation();
      en.send("I just want to talk to someone");
      expect(en.state).toMatchObject({ skipped: true, language: "en", step: DONE });
      const ko = new Conversation();
      ko.send("그냥 상담사와 이야기하고 싶어요");
      expect(ko.state).toMatchObject({ skipped: true, language: "ko" });
      expect(bodies(ko.last.say)).not.toContain("We are finding");
    });

    it("at the third prompt, keeping what was answered", () => {
      const c = new Conversation();
      c.send("1");
      c.send("1");
      expect(c.state.step).toBe("images");
      const step = c.send("5");
      expect(step.done).toBe(true);
      expect(triageResult(c.state)).toMatchObject({ skipped: true, language: "ko", category: "illegal_filming", images: null });
    });

    it("at the last prompt, and by the skip button of an earlier prompt", () => {
      const c = new Conversation();
      for (const n of ["2", "5", "2", "2", "2"]) c.send(n);
      expect(c.state.step).toBe("risk_behaviour");
      const step = c.send({ body: "I just want to talk to someone", answer: { prompt_id: "language", option_id: "skip" } });
      expect(step.done).toBe(true);
      expect(triageResult(c.state)).toMatchObject({ skipped: true, risk: "unknown", minor: false });
    });
  });

  describe("crisis", () => {
    it("shows the crisis lines at once when Korean crisis words are typed mid-flow, and goes on with triage", () => {
      const c = new Conversation();
      c.send("1");
      const step = c.send("너무 힘들어서 그냥 죽고 싶어요");
      expect(step).toMatchObject({ crisisNow: true, consumed: false, done: false });
      for (const number of CRISIS_NUMBERS) expect(bodies(step.say)).toContain(number);
      expect(bodies(step.say)).toContain("혼자가 아니에요");
      expect(promptIn(step.say)?.id).toBe("category");
      c.send("3");
      c.send("2");
      c.send("4");
      c.send("2");
      // The suicide-risk screen is skipped: the risk is known.
      expect(c.last.done).toBe(true);
      expect(c.asked).not.toContain("risk_wish");
      expect(triageResult(c.state)).toMatchObject({ crisis: true, risk: "high", category: "sextortion", deadline: "none" });
    });

    it("reacts to English crisis words, only once, and ends the risk screen when they come during it", () => {
      const c = new Conversation();
      for (const n of ["2", "5", "2"]) c.send(n);
      expect(c.state.step).toBe("risk_wish");
      const step = c.send("Honestly I don't want to live anymore.");
      expect(step).toMatchObject({ crisisNow: true, consumed: false, done: true });
      for (const number of CRISIS_NUMBERS) expect(bodies(step.say)).toContain(number);
      expect(bodies(step.say)).toContain("You are not alone");
      const again = c.send("I want to kill myself");
      expect(again).toMatchObject({ crisisNow: false, consumed: false, say: [] });
    });

    it("takes the language of crisis words written at the first prompt", () => {
      const c = new Conversation();
      const step = c.send("자살하고 싶어");
      expect(step.crisisNow).toBe(true);
      expect(c.state.language).toBe("ko");
      expect(bodies(step.say)).not.toContain("You are not alone");
      expect(promptIn(step.say)?.id).toBe("category");
    });

    it("still watches for crisis words after triage", () => {
      const c = new Conversation();
      c.press("skip");
      const step = c.send("i want to end my life");
      expect(step).toMatchObject({ crisisNow: true, consumed: false, done: false });
      expect(c.state.language).toBe("en");
      expect(bodies(step.say)).toContain("109");
      expect(c.send("still here").say).toEqual([]);
    });

    it.each([
      ["a plan or intent", ["1", "yes", "yes", "2"], "risk_plan"],
      ["an attempt in the past 3 months", ["1", "no", "no", "1"], "risk_behaviour"],
    ])("starts the crisis path on a high-risk answer: %s", (_name, screen, last) => {
      const c = new Conversation();
      c.send("2");
      c.send("5");
      for (const answer of screen) c.send(answer);
      expect(c.asked.at(-1)).toBe(last);
      expect(c.last).toMatchObject({ crisisNow: true, consumed: true, done: true });
      for (const number of CRISIS_NUMBERS) expect(bodies(c.last.say)).toContain(number);
      expect(triageResult(c.state)).toMatchObject({ crisis: true, risk: "high" });
    });

    it("rates a method without intent, or an attempt long ago, as moderate and offers 109", () => {
      const c = new Conversation();
      for (const answer of ["2", "5", "2", "yes", "yes", "1", "2"]) c.send(answer);
      expect(c.last).toMatchObject({ crisisNow: false, done: true });
      expect(bodies(c.last.say)).toContain("109");
      expect(triageResult(c.state)).toMatchObject({ crisis: false, risk: "moderate" });
    });
  });

  describe("the victim's own words", () => {
    it("are not consumed and do not advance; options are shown again once, then a word that we listen, then quiet", () => {
      const c = new Conversation();
      c.send("2");
      const first = c.send("He recorded me at a party and now he is sending it to my friends");
      expect(first).toMatchObject({ consumed: false, done: false, crisisNow: false });
      expect(c.state.step).toBe("category");
      expect(promptIn(first.say)?.id).toBe("category");
      expect(bodies(first.say)).toContain("a companion will read it");
      const second = c.send("I don't know what to do");
      expect(second.consumed).toBe(false);
      expect(promptIn(second.say)).toBeUndefined();
      expect(bodies(second.say)).toContain("I'm listening");
      expect(c.send("please help").say).toEqual([]);
      expect(c.state.step).toBe("category");
      expect(c.send("2").consumed).toBe(true);
      expect(c.state.step).toBe("images");
      expect(c.send("no idea really").say).toHaveLength(1);
    });

    it("in Korean at the first prompt choose Korean", () => {
      const c = new Conversation();
      const step = c.send("안녕하세요 도와주세요");
      expect(step.consumed).toBe(false);
      expect(c.state.language).toBe("ko");
      expect(promptIn(step.say)?.id).toBe("category");
      expect(bodies(step.say)).toContain("상담사가 꼭 읽을게요");
    });

    it("never reach the stored state", () => {
      const c = new Conversation();
      const words = ["제 이름은 김지은이고", "010-1234-5678", "죽고 싶어요 정말로", "he lives at 12 Main Street", "I want to die"];
      c.send(words[0]);
      c.send(words[1]);
      c.send("4");
      c.send(words[2]);
      c.send(words[3]);
      c.send("1");
      c.send(words[4]);
      const stored = JSON.stringify(c.state);
      for (const piece of [...words, "김지은", "1234", "Main", "Street", "죽고", "die"]) expect(stored).not.toContain(piece);
      expect(JSON.parse(stored)).toEqual(c.state);
    });
  });
});
