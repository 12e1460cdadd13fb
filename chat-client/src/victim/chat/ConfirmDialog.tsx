import { createSignal, onMount, Show } from "solid-js";
import { t } from "../../words/i18n.ts";
import type { StringKey } from "../../words/strings.ts";

/**
 * Asks before a step that can't be taken back ("delete this conversation",
 * "don't keep anything on this phone"), in a modal dialog; a failure is said
 * in it and the victim may try again.
 */
export function ConfirmDialog(props: {
  id: string;
  text: { title: StringKey; body: StringKey; confirm: StringKey; working?: StringKey; failed: StringKey };
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  let dialog!: HTMLDialogElement;
  const [working, setWorking] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  onMount(() => dialog.showModal());
  const confirm = async () => {
    setWorking(true);
    setFailed(false);
    try {
      await props.onConfirm();
    } catch {
      setFailed(true);
      setWorking(false);
    }
  };
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-body`} onClose={() => props.onClose()}>
      <h2 id={`${props.id}-title`}>{t(props.text.title)}</h2>
      <p id={`${props.id}-body`}>{t(props.text.body)}</p>
      <Show when={failed()}>
        <p class="error" role="alert">{t(props.text.failed)}</p>
      </Show>
      <div class="row">
        <button type="button" onClick={() => dialog.close()} disabled={working()}>{t("delete.cancel")}</button>
        <button type="button" class={props.danger ? "danger" : "primary"} onClick={confirm} disabled={working()}>
          {working() && props.text.working ? t(props.text.working) : t(props.text.confirm)}
        </button>
      </div>
    </dialog>
  );
}
