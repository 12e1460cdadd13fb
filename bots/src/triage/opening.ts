/**
 * What the victim app shows by itself the moment Start is pressed, before its
 * room exists (FIRST-MINUTES.md "The app opens the conversation itself"): the
 * greeting and the first question after the language (which the app knows),
 * from the same bank and messages the bot uses. Served in `public/config`.
 */
import type { AppOpeningJson } from "@onsafe/schema";
import { triagePrompts } from "./bank.ts";
import { text } from "./messages.ts";

export function appOpening(): AppOpeningJson {
  const first = triagePrompts().find((p) => p.id !== "language")!;
  return {
    greeting: { ko: text("ko", "appGreeting"), en: text("en", "appGreeting") },
    prompt: { id: first.id, text: { ...first.text }, options: first.options.map((o) => ({ id: o.id, label: { ...o.label } })) },
  };
}
