/**
 * Turning what a victim typed into one of a prompt's options, in either
 * language: "2", "2번", "two", "두 번째", a label ("딥페이크·합성된 성적 이미지")
 * or an alias ("deepfake", "딥페이크요"), ignoring case, spaces and punctuation
 * and forgiving one slip of the keyboard. Anything else is the victim's own words.
 */
import type { OptionDef, PromptDef } from "./bank.ts";

/** Lower case, NFKC (full-width digits, circled numbers), no spaces, punctuation or symbols. */
export function normalise(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]/gu, "");
}

const ENGLISH_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** "첫 번째", "두 번째" …: native Korean ordinals. Bare sino-Korean words ("이", "사") are left out: they are also everyday words. */
const KOREAN_ORDINALS = ["첫", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열"];
/** Polite endings people add to a short answer: "딥페이크요", "2번이요", "네 맞아요" is covered by aliases. */
const KOREAN_ENDINGS = ["", "요", "이요", "예요", "이에요", "입니다"];

/** 1-based option number in the text, or null. */
export function optionNumber(normalised: string): number | null {
  const stripped = normalised.replace(/^(option|number|no)(?=\d)/, "");
  const digits = /^(\d{1,2})(번째|번|th|st|nd|rd)?(요|이요|이에요|입니다)?$/.exec(stripped);
  if (digits) return Number(digits[1]);
  const word = ENGLISH_NUMBERS.indexOf(stripped);
  if (word >= 0) return word + 1;
  const ordinal = /^(.+)번째(요|이요|이에요|입니다)?$/.exec(stripped);
  if (ordinal) {
    const n = KOREAN_ORDINALS.indexOf(ordinal[1]);
    if (n >= 0) return n + 1;
  }
  return null;
}

/** The option the text picks, or null when it picks none or more than one. */
export function matchOption(prompt: Pick<PromptDef, "options">, body: string): OptionDef | null {
  const typed = normalise(body);
  if (typed === "") return null;
  const n = optionNumber(typed);
  if (n !== null) return prompt.options[n - 1] ?? null;
  return only(prompt.options.filter((o) => forms(o).some((f) => KOREAN_ENDINGS.some((end) => typed === f + end))))
    ?? only(prompt.options.filter((o) => forms(o).some((f) => f.length >= 4 && withinOneEdit(typed, f))));
}

function forms(option: OptionDef): string[] {
  return [option.label.ko, option.label.en, ...option.aliases].map(normalise).filter((f) => f !== "");
}

/** Exactly one distinct option, or null. */
function only(found: OptionDef[]): OptionDef | null {
  return found.length === 1 ? found[0] : null;
}

/** Levenshtein distance ≤ 1, without building the matrix. */
function withinOneEdit(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (x.length > y.length) i++;
    else if (x.length < y.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (x.length - i) + (y.length - j) <= 1;
}

/** The language a typed text is written in, by its script: Hangul is Korean, Latin letters English. */
export function scriptLanguage(body: string): "ko" | "en" | null {
  if (/[\p{Script=Hangul}]/u.test(body)) return "ko";
  if (/[A-Za-z]/.test(body)) return "en";
  return null;
}
