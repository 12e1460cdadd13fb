import { createSignal } from "solid-js";
import { t } from "../words/i18n.ts";

const TYPING_RENEW_MS = 4000;

/** A draft the parent can also write into (the console inserts prepared texts). */
export interface Draft {
  text: () => string;
  set: (text: string) => void;
}

/** The message box: Enter sends, Shift+Enter adds a line; typing is announced while writing. */
export function Composer(props: { onSend: (body: string) => void; onTyping: (typing: boolean) => void; draft?: Draft; id?: string; rows?: number }) {
  const id = props.id ?? "composer-input";
  const [ownText, setOwnText] = createSignal("");
  const text = () => (props.draft ? props.draft.text() : ownText());
  const setText = (value: string) => (props.draft ? props.draft.set(value) : setOwnText(value));
  // The server forgets a typing notice after a few seconds: while writing, it is renewed.
  let typingSince = 0;
  const setTyping = (next: boolean) => {
    const now = Date.now();
    if (next && typingSince && now - typingSince < TYPING_RENEW_MS) return;
    if (!next && !typingSince) return;
    typingSince = next ? now : 0;
    props.onTyping(next);
  };
  const send = () => {
    const body = text().trim();
    if (!body) return;
    props.onSend(body);
    setText("");
    setTyping(false);
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for={id} class="visually-hidden">{t("chat.composer")}</label>
      <textarea
        id={id}
        rows={props.rows ?? 1}
        placeholder={t("chat.composer")}
        value={text()}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setTyping(e.currentTarget.value.length > 0);
        }}
        onBlur={() => setTyping(false)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="primary">{t("chat.send")}</button>
    </form>
  );
}
