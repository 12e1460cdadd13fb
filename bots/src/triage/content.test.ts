import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROMPT_FIELD, isPromptContent } from "@onsafe/schema";
import { contentPath } from "../content/content-dir.ts";
import { loadTriageBank, triagePrompts } from "./bank.ts";
import { MESSAGE_KEYS, text } from "./messages.ts";
import { appOpening } from "./opening.ts";
import { promptMessage } from "./prompt.ts";

const dir = mkdtempSync(join(tmpdir(), "onsafe-triage-"));
function bankWith(change: (bank: any) => void): string {
  const bank = JSON.parse(readFileSync(contentPath("triage.json"), "utf8"));
  change(bank);
  const path = join(dir, `triage-${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(bank));
  return path;
}

describe("content files", () => {
  it("have every text in both languages with every placeholder filled, and every prompt is a valid org.onsafe.prompt", () => {
    const messages = JSON.parse(readFileSync(contentPath("messages.json"), "utf8"));
    expect(Object.keys(messages.ko).sort()).toEqual(Object.keys(messages.en).sort());
    for (const key of MESSAGE_KEYS) {
      for (const lang of ["ko", "en"] as const) {
        expect(text(lang, key, { position: 2, wait: "5", n: 5, nextOpening: "x", priority: 1 })).not.toMatch(/[{}]/);
      }
    }
    for (const prompt of triagePrompts()) {
      for (const lang of ["ko", "en", null] as const) {
        const { content } = promptMessage(prompt, lang);
        expect(String(content.body)).not.toMatch(/undefined|[{}]/);
        expect(isPromptContent(content[PROMPT_FIELD])).toBe(true);
      }
    }
  });

  it("reject a question bank that does not fit the shared triage constants", () => {
    expect(() => loadTriageBank(bankWith((b) => (b.prompts[1].options[0].id = "robbery")))).toThrow(/unknown option "robbery"/);
    expect(() => loadTriageBank(bankWith((b) => (b.prompts[2].askIf = { category: ["robbery"] })))).toThrow(/category.robbery/);
    expect(() => loadTriageBank(bankWith((b) => b.prompts.reverse()))).toThrow();
    expect(() => loadTriageBank(bankWith((b) => delete b.prompts.at(-1).options[0].risk))).toThrow(/without a risk level/);
    expect(() => loadTriageBank(bankWith((b) => delete b.prompts[1].text.en))).toThrow(/en text/);
    expect(() => loadTriageBank(bankWith((b) => (b.prompts.at(-1).whileWaiting = false)))).toThrow(/after a prompt asked while waiting/);
    expect(loadTriageBank(bankWith(() => {}))).toHaveLength(triagePrompts().length);
  });

  it("ask the suicide-risk screen while waiting, and nothing else", () => {
    expect(triagePrompts().filter((p) => p.whileWaiting).map((p) => p.id)).toEqual(triagePrompts().filter((p) => p.riskScreen).map((p) => p.id));
  });

  it("speak to victims in English of a counsellor, never a companion, a number to type, a search, or encryption", () => {
    const messages = JSON.parse(readFileSync(contentPath("messages.json"), "utf8"));
    const english = [
      ...Object.values(messages.en as Record<string, string>),
      ...triagePrompts().flatMap((p) => [p.text.en, ...p.options.map((o) => o.label.en)]),
    ];
    for (const line of english) expect(line).not.toMatch(/companion|with a number|finding|end-to-end/i);
    // Korean: no encryption jargon, no "we are looking for" a counsellor (찾고 있어요).
    for (const line of Object.values(messages.ko as Record<string, string>)) expect(line).not.toMatch(/종단간|찾고 있어요/);
  });

  it("give the app its opening: a short greeting and the first question after the language, skip last", () => {
    const opening = appOpening();
    expect(opening.prompt.id).toBe("category");
    expect(opening.prompt.options.at(-1)).toEqual({ id: "skip", label: { ko: "그냥 상담사와 이야기하고 싶어요", en: "I just want to talk to a counsellor" } });
    expect(opening.prompt.text.en).toMatch(/^Which of these is closest/);
    for (const lang of ["ko", "en"] as const) expect(opening.greeting[lang].split(/\s+/).length).toBeLessThanOrEqual(25);
  });
});
