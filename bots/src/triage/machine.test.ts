import { describe, expect, it } from "vitest";
import { CALL_FIELD, PROMPT_FIELD, isCallLines } from "@onsafe/schema";
import { DONE, handleMessage } from "./machine.ts";
import { triageResult } from "./result.ts";
import { CLOSED, Conversation, OPEN, bodies, promptIn } from "./test-helpers.ts";

const CRISIS_NUMBERS = ["109", "1366", "112", "02-735-8994"];
const NOT_SAID = /number|companion|finding|end-to-end/i;

/** The numbers of a message's call buttons. */
const calls = (o: { content: Record<string, unknown> }) => {
  const field = o.content[CALL_FIELD];
  return isCallLines(field) ? field.map((line) => line.number) : [];
};

describe("triage conversation", () => {
  it("in a room another client opened, greets in both languages and asks for the language first, with a way to a person last", () => {
    const c = new Conversation();
    expect(c.last.say).toHaveLength(2);
    expect(bodies(c.last.say)).toContain("안녕하세요");
    expect(bodies(c.last.say)).toContain("Hello");
    expect(bodies(c.last.say)).not.toMatch(/종단간|end-to-end/);
    const prompt = c.last.say[1].content;
    expect(prompt.msgtype).toBe("m.notice");
    expect(prompt.body).toMatch(/1\. 한국어\n2\. English\n3\. 그냥 상담사와 이야기하고 싶어요 \/ I just want to talk to a counsellor$/);
    expect(prompt[PROMPT_FIELD]).toEqual({
      id: "language",
      options: [
        { id: "ko", label: "한국어" },
        { id: "en", label: "English" },
        { id: "skip", label: "그냥 상담사와 이야기하고 싶어요 / I just want to talk to a counsellor" },
      ],
    });
  });

  it("runs a whole English triage answered by numbers: the deadline before the images, queued before the suicide-risk screen", () => {
    const c = new Conversation();
    for (const n of ["2", "3", "2", "1", "2"]) {
      const step = c.send(n);
      expect(step.consumed).toBe(true);
      expect(step.crisisNow).toBe(false);
    }
    expect(c.asked).toEqual(["language", "category", "deadline", "images", "minor", "risk_wish"]);
    // Answering "under 19" put the case in the queue; the screen is asked while waiting.
    expect(c.state.queued).toBe(true);
    expect(bodies(c.last.say)).toMatch(/^A counsellor will be with you soon\.\n\nWhile you wait, a few questions/);
    for (const n of ["2", "2", "3"]) c.send(n);
    expect(c.asked.slice(-3)).toEqual(["risk_wish", "risk_thoughts", "risk_behaviour"]);
    expect(c.state.step).toBe(DONE);
    expect(bodies(c.last.say)).toContain("Thank you for answering");
    expect(triageResult(c.state)).toMatchObject({
      language: "en",
      category: "sextortion",
      images: "spread",
      deadline: "within_week",
      minor: false,
      risk: "none",
      crisis: false,
      skipped: false,
    });
    expect(bodies(c.said)).not.toMatch(NOT_SAID);
  });

  it("asks in English once English is chosen, and tells the victim it is not their fault", () => {
    const c = new Conversation();
    c.send("English");
    expect(bodies(c.last.say)).toMatch(/Which of these is closest[\s\S]*\n4\. Deepfake or edited sexual images of me\n[\s\S]*\n8\. I just want to talk to a counsellor$/);
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
    expect(bodies(c.last.say)).toContain("답해 주셔서 고마워요");
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
    expect(c.state.step).toBe(DONE);
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

  it("resumes a state saved before the queue came first: a case mid-triage goes on, one past it counts as queued", () => {
    const old = { step: "images", language: "en", answers: { language: "en", category: "deepfake" }, crisis: false, skipped: false, unanswered: 0 } as never;
    const step = handleMessage(old, { body: "1" }, OPEN);
    expect(step.state).toMatchObject({ step: "minor", passed: [], queued: false, toldClosed: false });
    expect(handleMessage({ ...(old as object), step: DONE } as never, { body: "hello?" }, OPEN).state.queued).toBe(true);
  });

  describe("in a room our app opened", () => {
    it("says nothing at first, takes the language from each message, never asks it, and answers in it", () => {
      const c = new Conversation({ app: "en" });
      expect(c.last.say).toEqual([]);
      expect(c.state.step).toBe("category");
      c.press("illegal_filming");
      expect(c.state.language).toBe("en");
      expect(promptIn(c.last.say)?.id).toBe("images");
      expect(bodies(c.last.say)).toMatch(/^Thank you for telling me\. This is not your fault\.\n\nHave the images/);
      expect(c.asked).not.toContain("language");
      expect(triageResult(c.state)).toMatchObject({ language: "en", category: "illegal_filming" });
    });

    it("takes a typed Korean answer to the question the app showed", () => {
      const c = new Conversation({ app: "ko" });
      c.send("딥페이크");
      expect(c.state.answers).toMatchObject({ language: "ko", category: "deepfake" });
      expect(bodies(c.last.say)).toContain("그 사진이나 영상이");
    });
  });

  describe("going straight to a person", () => {
    it("at the first prompt, by button: no language known yet", () => {
      const c = new Conversation();
      const step = c.press("skip");
      expect(step.consumed).toBe(true);
      expect(c.state).toMatchObject({ queued: true, step: DONE });
      expect(bodies(step.say)).toContain("곧 상담사가 함께할게요");
      expect(bodies(step.say)).toContain("A counsellor will be with you soon");
      expect(triageResult(c.state)).toMatchObject({ skipped: true, language: null, category: null, risk: "unknown" });
    });

    it("at the first prompt, typed: the words tell the language", () => {
      const en = new Conversation();
      en.send("I just want to talk to someone");
      expect(en.state).toMatchObject({ skipped: true, language: "en", step: DONE, queued: true });
      const ko = new Conversation();
      ko.send("그냥 상담사와 이야기하고 싶어요");
      expect(ko.state).toMatchObject({ skipped: true, language: "ko" });
      expect(bodies(ko.last.say)).not.toContain("counsellor");
    });

    it.each([
      ["can i just talk to a real person please", "en"],
      ["Is this a bot? I need a real human", "en"],
      ["상담사랑 얘기하고 싶어요", "ko"],
      ["그냥 사람이랑 말하고 싶어요", "ko"],
      ["질문 그만하고 상담원 연결해 주세요", "ko"],
    ] as const)("asked for anywhere in a sentence: %s", (typed, lang) => {
      const c = new Conversation({ app: lang });
      const step = c.send(typed);
      // Kept for the counsellor, the questions end and the case is queued.
      expect(step).toMatchObject({ consumed: false, crisisNow: false });
      expect(c.state).toMatchObject({ skipped: true, queued: true, step: DONE, language: lang });
      expect(promptIn(step.say)).toBeUndefined();
      expect(bodies(step.say)).not.toMatch(NOT_SAID);
    });

    it("at the third prompt, keeping what was answered", () => {
      const c = new Conversation();
      c.send("1");
      c.send("1");
      expect(c.state.step).toBe("images");
      c.send("5");
      expect(c.state).toMatchObject({ step: DONE, queued: true });
      expect(triageResult(c.state)).toMatchObject({ skipped: true, language: "ko", category: "illegal_filming", images: null });
    });

    it("while waiting, by the skip button of an earlier prompt: the questions end", () => {
      const c = new Conversation();
      for (const n of ["2", "5", "2", "2", "2"]) c.send(n);
      expect(c.state.step).toBe("risk_behaviour");
      c.send({ body: "I just want to talk to someone", answer: { prompt_id: "language", option_id: "skip" } });
      expect(c.state.step).toBe(DONE);
      expect(triageResult(c.state)).toMatchObject({ skipped: true, risk: "unknown", minor: false });
    });
  });

  describe("crisis", () => {
    it("typed at the second question: the crisis lines with call buttons, queued at once, and the questions go on gently", () => {
      const c = new Conversation({ app: "en" });
      c.press("distribution");
      expect(c.state.step).toBe("images");
      const step = c.send("i just want to die honestly. he has my nudes");
      expect(step).toMatchObject({ crisisNow: true, consumed: false });
      expect(c.state.queued).toBe(true);
      expect(step.say).toHaveLength(2);
      for (const number of CRISIS_NUMBERS) expect(String(step.say[0].content.body)).toContain(number);
      expect(calls(step.say[0])).toEqual(expect.arrayContaining(["109", "1366", "112"]));
      expect(String(step.say[0].content.body)).toContain("A counsellor is being called now");
      // The question it came at counts as passed: the next one, gently.
      expect(promptIn(step.say)?.id).toBe("minor");
      expect(String(step.say[1].content.body)).toMatch(/^If you can, a few more questions while you wait\./);
      c.press("no");
      // The suicide-risk screen is skipped: the risk is known.
      expect(c.state.step).toBe(DONE);
      expect(c.asked).not.toContain("risk_wish");
      expect(triageResult(c.state)).toMatchObject({ crisis: true, risk: "high", category: "distribution", minor: false });
      expect(bodies(c.said)).not.toMatch(NOT_SAID);
    });

    it("typed at the first question, in Korean, queues at once; only once per conversation", () => {
      const c = new Conversation({ app: "ko" });
      const step = c.send("너무 힘들어서 그냥 죽고 싶어요");
      expect(step).toMatchObject({ crisisNow: true, consumed: false });
      expect(c.state.queued).toBe(true);
      expect(bodies(step.say)).toContain("혼자가 아니에요");
      expect(bodies(step.say)).toContain("지금 상담사를 부르고 있어요");
      expect(promptIn(step.say)?.id).toBe("minor");
      expect(c.send("죽고 싶다고요").crisisNow).toBe(false);
    });

    it("takes the language of crisis words written at the bilingual first prompt", () => {
      const c = new Conversation();
      const step = c.send("자살하고 싶어");
      expect(step.crisisNow).toBe(true);
      expect(c.state.language).toBe("ko");
      expect(bodies(step.say)).not.toContain("You are not alone");
      expect(promptIn(step.say)?.id).toBe("category");
    });

    it("still watches for crisis words after the questions", () => {
      const c = new Conversation();
      c.press("skip");
      const step = c.send("i want to end my life");
      expect(step).toMatchObject({ crisisNow: true, consumed: false });
      expect(c.state.language).toBe("en");
      expect(bodies(step.say)).toContain("109");
      expect(promptIn(step.say)).toBeUndefined();
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
      expect(c.last).toMatchObject({ crisisNow: true, consumed: true });
      expect(c.state.step).toBe(DONE);
      for (const number of CRISIS_NUMBERS) expect(bodies(c.last.say)).toContain(number);
      expect(triageResult(c.state)).toMatchObject({ crisis: true, risk: "high" });
    });

    it("rates a method without intent, or an attempt long ago, as moderate and offers 109", () => {
      const c = new Conversation();
      for (const answer of ["2", "5", "2", "yes", "yes", "1", "2"]) c.send(answer);
      expect(c.last).toMatchObject({ crisisNow: false });
      expect(c.state.step).toBe(DONE);
      expect(bodies(c.last.say)).toContain("109");
      expect(triageResult(c.state)).toMatchObject({ crisis: false, risk: "moderate" });
    });
  });

  describe("a threat due within 24 hours", () => {
    it("gets three steps at once, with call buttons, and goes to the queue before the images are asked", () => {
      const c = new Conversation({ app: "en" });
      c.press("sextortion");
      expect(promptIn(c.last.say)?.id).toBe("deadline");
      const step = c.press("within_24h");
      expect(c.state.queued).toBe(true);
      const steps = String(step.say[0].content.body);
      expect(steps).toMatch(/1\. Don't pay them or reply to them\.\n2\. Keep their messages, their profile and screenshots/);
      expect(steps).toContain("3. A counsellor is being called now");
      expect(calls(step.say[0])).toContain("1366");
      expect(promptIn(step.say)?.id).toBe("images");
      expect(triageResult(c.state).priority).toBeGreaterThanOrEqual(8);
    });

    it("after hours the third step is to call 1366, and the victim is told once that nobody is on shift", () => {
      const c = new Conversation({ app: "en", closed: true });
      c.press("sextortion");
      const step = c.press("within_24h");
      expect(String(step.say[0].content.body)).toContain("No counsellor is on shift here until Monday at 09:00 (Korea time): call Women's emergency line 1366");
      c.press("spread");
      c.press("no");
      expect(bodies(c.said).match(/on shift/g)).toHaveLength(1);
      expect(bodies(c.said)).not.toMatch(NOT_SAID);
    });
  });

  describe("nobody on shift", () => {
    it("says so once, in one message with call buttons, when the case is queued; the screen is asked while waiting", () => {
      const c = new Conversation({ app: "en", closed: true });
      c.press("harassment");
      const step = c.press("no");
      expect(c.state.queued).toBe(true);
      expect(step.say).toHaveLength(2);
      expect(String(step.say[0].content.body)).toMatch(/^No counsellor is on shift right now\. We expect to be open again from Monday at 09:00/);
      expect(calls(step.say[0])).toEqual(expect.arrayContaining(["109", "1366", "112"]));
      expect(promptIn(step.say)?.id).toBe("risk_wish");
      c.press("skip");
      expect(bodies(c.last.say)).toContain("a counsellor will read it when their shift starts");
      expect(bodies(c.said).match(/on shift/g)).toHaveLength(1);
      expect(bodies(c.said)).not.toMatch(NOT_SAID);
    });

    it("a crisis gets one message: the crisis lines as call buttons, when it opens, and nothing more is asked", () => {
      const c = new Conversation({ app: "en", closed: true });
      c.press("deepfake");
      const step = c.send("I want to kill myself");
      expect(step).toMatchObject({ crisisNow: true });
      expect(step.say).toHaveLength(1);
      const body = String(step.say[0].content.body);
      for (const number of CRISIS_NUMBERS) expect(body).toContain(number);
      expect(calls(step.say[0])).toEqual(["109", "1366", "112"]);
      expect(body).toContain("Monday at 09:00");
      expect(body).not.toMatch(NOT_SAID);
      expect(body).not.toMatch(/soon|being called/);
      expect(step.say[0].content[PROMPT_FIELD]).toBeUndefined();
      expect(c.state).toMatchObject({ queued: true, step: DONE });
      expect(c.send("hello?").say).toEqual([]);
    });

    it("a crisis after the after-hours message does not say again that nobody is on shift", () => {
      const c = new Conversation({ app: "en", closed: true });
      c.press("harassment");
      c.press("no");
      c.press("yes");
      c.press("yes");
      const step = c.press("intent");
      expect(step.say).toHaveLength(1);
      expect(String(step.say[0].content.body)).not.toContain("on shift");
      expect(calls(step.say[0])).toContain("109");
    });
  });

  describe("the victim's own words", () => {
    it("are kept, thanked for, and the bot moves on: the question counts as passed and is not asked again", () => {
      const c = new Conversation({ app: "en" });
      const first = c.send("he says he will send my pics to everyone at my school");
      expect(first).toMatchObject({ consumed: false, crisisNow: false });
      expect(c.state.passed).toEqual(["category"]);
      expect(promptIn(first.say)?.id).toBe("minor");
      expect(bodies(first.say)).toMatch(/^Thank you for writing this\. Your counsellor will read it\.\n\nAre you under 19/);
      // Words at the last question before the queue: queued, and the screen follows while waiting.
      const second = c.send("I don't know what to do");
      expect(second.consumed).toBe(false);
      expect(c.state).toMatchObject({ queued: true, step: "risk_wish", passed: ["category", "minor"] });
      expect(c.asked).toEqual(["category", "minor", "risk_wish"]);
      expect(bodies(c.said)).not.toMatch(NOT_SAID);
    });

    it("in Korean at the bilingual first prompt choose Korean", () => {
      const c = new Conversation();
      const step = c.send("안녕하세요 도와주세요");
      expect(step.consumed).toBe(false);
      expect(c.state.language).toBe("ko");
      expect(promptIn(step.say)?.id).toBe("category");
      expect(bodies(step.say)).toContain("상담사가 꼭 읽을게요");
    });

    it("after the questions get no reply", () => {
      const c = new Conversation({ app: "en" });
      c.press("skip");
      expect(c.send("he lives near me")).toMatchObject({ consumed: false, say: [] });
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

  it("nothing said in English calls the counsellor a companion, asks for a number, or promises a search nobody makes", () => {
    for (const closed of [false, true]) {
      const c = new Conversation({ app: "en", closed });
      for (const typed of ["what is this", "sextortion", "today", "they are everywhere", "no", "yes", "yes", "I have a plan"]) c.send(typed);
      expect(bodies(c.said)).not.toMatch(NOT_SAID);
    }
    expect(CLOSED.open).toBe(false);
  });
});
