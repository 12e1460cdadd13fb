import { createSignal } from "solid-js";
import type { Draft } from "../../ui/Composer.tsx";
import type { Lang } from "../../words/strings.ts";

export interface HeldMessage {
  body: string;
  /** A tapped option. */
  answer?: { prompt_id: string; option_id: string };
  /** The app's language when the victim wrote it (the label tapped is in it). */
  lang: Lang;
}

/**
 * What the victim taps or types before the triage bot has joined their room
 * (docs/FIRST-MINUTES.md). The bot can read only what is sent after it joined
 * (history visibility "joined"), so these wait here, in memory only: never in
 * browser storage, in either mode. The chat shows them as "Sending…" until the
 * session sends them, in order and encrypted.
 */
export class HeldMessages {
  private readonly messages = createSignal<HeldMessage[]>([]);
  private readonly text = createSignal("");
  /** What is in the message box: typing goes on in the same text when the chat replaces the opening screen. */
  readonly draft: Draft = { text: this.text[0], set: (text) => this.text[1](text) };

  all(): HeldMessage[] {
    return this.messages[0]();
  }

  hold(message: HeldMessage): void {
    this.messages[1]((held) => [...held, message]);
  }

  /** Empties the list: the caller sends them now. */
  takeAll(): HeldMessage[] {
    const held = this.messages[0]();
    this.messages[1]([]);
    return held;
  }
}
