import { createSignal, Show } from "solid-js";
import { PromptOptions } from "./MessageList.tsx";
import { letterText } from "./referrals.ts";
import { rt } from "./referral-strings.ts";
import type { LetterItem } from "./timeline.ts";

/**
 * The referral bot's letter (docs/REFERRALS.md) as a card the victim can copy
 * or save: the partner's contact and only the items they agreed to. "Withdraw
 * my consent" stays under it until used.
 */
export function LetterCard(props: {
  item: LetterItem;
  partner: string;
  onAnswer: (prompt: { promptId: string }, option: { id: string; label: string }) => void;
}) {
  const [copied, setCopied] = createSignal(false);
  const text = () => letterText(props.item.body);
  const titleId = () => `letter-${props.item.id}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setCopied(true);
    } catch {
      // Clipboard refused (permissions): "Save as text" still works, and the letter stays on screen.
    }
  };
  const save = () => {
    const url = URL.createObjectURL(new Blob([text()], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    // Discreet, like the calendar file: no service name.
    link.download = "letter.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <li class={`letter-card${props.item.withdrawn ? " withdrawn" : ""}`} aria-labelledby={titleId()}>
      <h2 id={titleId()}>{rt("letter.title")}</h2>
      <Show when={props.item.withdrawn} fallback={<p class="hint">{rt("letter.hint", { partner: props.partner })}</p>}>
        <p class="letter-status">{rt("letter.withdrawn")}</p>
      </Show>
      <p class="letter-text" data-testid="letter-text">{text()}</p>
      <Show when={!props.item.withdrawn}>
        <div class="row">
          <button type="button" onClick={copy}>{copied() ? rt("letter.copied") : rt("letter.copy")}</button>
          <button type="button" onClick={save}>{rt("letter.save")}</button>
        </div>
      </Show>
      <Show when={props.item.active && props.item.prompt}>
        {(prompt) => <PromptOptions options={prompt().options} onAnswer={(option) => props.onAnswer(prompt(), option)} />}
      </Show>
    </li>
  );
}
