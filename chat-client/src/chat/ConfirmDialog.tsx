import { createSignal, onMount, Show } from "solid-js";
import { t } from "../i18n.ts";

/** Confirms "delete this conversation" in a modal dialog. */
export function DeleteDialog(props: { onConfirm: () => Promise<void>; onClose: () => void }) {
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
    <dialog ref={dialog} class="dialog" aria-labelledby="delete-title" aria-describedby="delete-body" onClose={() => props.onClose()}>
      <h2 id="delete-title">{t("delete.title")}</h2>
      <p id="delete-body">{t("delete.body")}</p>
      <Show when={failed()}>
        <p class="error" role="alert">{t("delete.failed")}</p>
      </Show>
      <div class="row">
        <button type="button" onClick={() => dialog.close()} disabled={working()}>{t("delete.cancel")}</button>
        <button type="button" class="danger" onClick={confirm} disabled={working()}>
          {working() ? t("delete.working") : t("delete.confirm")}
        </button>
      </div>
    </dialog>
  );
}
