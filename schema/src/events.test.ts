import { describe, expect, it } from "vitest";
import { isAnswerContent, isAppOpeningContent, isCallLines, isPromptContent, isQueueContent, isTriageResult, isTriageSummaryContent } from "./events.ts";

const result = {
  language: "ko",
  category: "sextortion",
  images: "spread",
  deadline: "within_24h",
  minor: null,
  risk: "unknown",
  crisis: false,
  skipped: true,
  priority: 10,
  answers: { language: "ko", category: "sextortion" },
};

describe("org.onsafe.* validators", () => {
  it("accept well-formed prompts and answers, with extra keys", () => {
    expect(isPromptContent({ id: "category", options: [{ id: "deepfake", label: "Deepfake" }], extra: 1 })).toBe(true);
    expect(isAnswerContent({ prompt_id: "category", option_id: "deepfake" })).toBe(true);
    expect(isAnswerContent({ prompt_id: "visit", option_id: "2026-12-01T10:00" })).toBe(true);
  });

  it.each([
    ["no options", { id: "p", options: [] }],
    ["options not a list", { id: "p", options: { a: "A" } }],
    ["a repeated option id", { id: "p", options: [{ id: "a", label: "A" }, { id: "a", label: "B" }] }],
    ["an empty label", { id: "p", options: [{ id: "a", label: " " }] }],
    ["an id with spaces", { id: "my prompt", options: [{ id: "a", label: "A" }] }],
    ["a missing id", { options: [{ id: "a", label: "A" }] }],
    ["not an object", "category"],
  ])("reject a prompt with %s", (_what, value) => {
    expect(isPromptContent(value)).toBe(false);
  });

  it("reject answers that lack an id or carry text instead", () => {
    expect(isAnswerContent({ prompt_id: "category" })).toBe(false);
    expect(isAnswerContent({ prompt_id: "category", option_id: 2 })).toBe(false);
    expect(isAnswerContent({ prompt_id: "category", option_id: "he filmed me" })).toBe(false);
    expect(isAnswerContent(null)).toBe(false);
  });

  it("accept a triage summary and reject unknown values or missing fields", () => {
    expect(isTriageResult(result)).toBe(true);
    expect(isTriageSummaryContent({ ...result, notes: [{ body: "도와주세요", at: 1764000000000 }] })).toBe(true);
    expect(isTriageSummaryContent({ ...result, notes: [] })).toBe(true);
    expect(isTriageSummaryContent(result)).toBe(false);
    expect(isTriageSummaryContent({ ...result, notes: [{ body: "x" }] })).toBe(false);
    expect(isTriageSummaryContent({ ...result, category: "robbery", notes: [] })).toBe(false);
    expect(isTriageSummaryContent({ ...result, risk: undefined, notes: [] })).toBe(false);
    expect(isTriageSummaryContent({ ...result, minor: "yes", notes: [] })).toBe(false);
    expect(isTriageSummaryContent({ ...result, priority: -1, notes: [] })).toBe(false);
    expect(isTriageSummaryContent({ ...result, answers: { category: "my own words here" }, notes: [] })).toBe(false);
  });

  it("accept queue notices with a known or unknown wait, and reject impossible positions", () => {
    expect(isQueueContent({ position: 1, expected_wait_minutes: 5 })).toBe(true);
    expect(isQueueContent({ position: 3, expected_wait_minutes: null })).toBe(true);
    expect(isQueueContent({ position: 0, expected_wait_minutes: 5 })).toBe(false);
    expect(isQueueContent({ position: 1.5, expected_wait_minutes: 5 })).toBe(false);
    expect(isQueueContent({ position: 2, expected_wait_minutes: -1 })).toBe(false);
    expect(isQueueContent({ position: 2 })).toBe(false);
  });
});

describe("the first minutes' fields", () => {
  it("accept an app opening naming a prompt, and call lines with dialable numbers", () => {
    expect(isAppOpeningContent({ first_prompt: "category" })).toBe(true);
    expect(isCallLines([{ number: "109", label: "Suicide prevention line 109" }, { number: "02-735-8994", label: "Support centre" }])).toBe(true);
  });

  it.each([
    ["an opening without a prompt", () => isAppOpeningContent({})],
    ["an opening with text for a prompt", () => isAppOpeningContent({ first_prompt: "what happened?" })],
    ["no lines", () => isCallLines([])],
    ["a number with letters", () => isCallLines([{ number: "109; javascript:", label: "x" }])],
    ["a line without a label", () => isCallLines([{ number: "112", label: "" }])],
  ])("refuse %s", (_name, check) => {
    expect(check()).toBe(false);
  });
});
