import { createSignal, Show } from "solid-js";
import { PromptOptions } from "../../ui/MessageList.tsx";
import { letterText } from "../../matrix/referrals.ts";
import { rt } from "./referral-strings.ts";
import { saveFile } from "./save-file.ts";
import type { Attachment, LetterItem } from "../../matrix/timeline.ts";

/**
 * The referral bot's letter (docs/REFERRALS.md) as a card the victim can copy
 * or save, as text or as the bot's PDF: the partner's contact and only the
 * items they agreed to. "Withdraw my consent" stays under it until used.
 */
export function LetterCard(props: {
  item: LetterItem;
  partner: string;
  onAnswer: (prompt: { promptId: string }, option: { id: string; label: string }) => void;
  /** Decrypts the PDF in memory and saves it. */
  onPdf: (pdf: Attachment) => Promise<void>;
}) {
  const [copied, setCopied] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [pdfFailed, setPdfFailed] = createSignal(false);
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
  // Discreet, like the calendar file: no service name.
  const save = () => saveFile(new Blob([text()], { type: "text/plain" }), "letter.txt");
  const savePdf = async (pdf: Attachment) => {
    setBusy(true);
    setPdfFailed(false);
    try {
      await props.onPdf(pdf);
    } catch (error) {
      console.warn("onsafe: the letter's PDF could not be opened", error);
      setPdfFailed(true);
    } finally {
      setBusy(false);
    }
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
          <Show when={props.item.pdf}>
            {(pdf) => <button type="button" disabled={busy()} onClick={() => void savePdf(pdf())}>{rt("letter.savePdf")}</button>}
          </Show>
        </div>
        <Show when={pdfFailed()}>
          <p class="error" role="alert">{rt("letter.pdfFailed")}</p>
        </Show>
      </Show>
      <Show when={props.item.active && props.item.prompt}>
        {(prompt) => <PromptOptions options={prompt().options} onAnswer={(option) => props.onAnswer(prompt(), option)} />}
      </Show>
    </li>
  );
}
