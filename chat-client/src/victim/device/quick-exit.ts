/**
 * Quick exit: replaces this page with a neutral site. `location.replace`
 * swaps the current history entry, and the app never pushes entries of its
 * own, so the back button does not return here.
 */
import type { Lang } from "../../words/strings.ts";
import { stopWarningBeforeLeaving } from "./leave-warning.ts";

export const EXIT_URLS: Record<Lang, string> = {
  ko: "https://search.naver.com/search.naver?query=%EC%98%A4%EB%8A%98+%EB%82%A0%EC%94%A8",
  en: "https://www.google.com/search?q=weather+today",
};

export function quickExit(lang: Lang): void {
  stopWarningBeforeLeaving();
  document.body.replaceChildren();
  document.title = "";
  location.replace(EXIT_URLS[lang]);
}

/** Escape pressed twice within `windowMs` exits, on every screen. */
export function listenForDoubleEscape(onExit: () => void, windowMs = 1000): () => void {
  let last = -Infinity;
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    const now = performance.now();
    if (now - last <= windowMs) onExit();
    last = now;
  };
  window.addEventListener("keydown", onKey, true);
  return () => window.removeEventListener("keydown", onKey, true);
}
