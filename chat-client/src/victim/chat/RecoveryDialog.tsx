import { createSignal, onMount } from "solid-js";
import { t } from "../../words/i18n.ts";

/** "Show my code": the recovery code in a modal dialog, with copy and save. */
export function RecoveryDialog(props: { code: string; onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  const [copied, setCopied] = createSignal(false);
  onMount(() => dialog.showModal());
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.code);
      setCopied(true);
    } catch {
      // Clipboard refused (permissions): the code stays on screen to write down.
    }
  };
  const save = () => {
    const url = URL.createObjectURL(new Blob([t("recovery.fileText", { code: props.code })], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "onsafe-recovery-code.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <dialog ref={dialog} class="dialog recovery" aria-labelledby="recovery-title" aria-describedby="recovery-body" onClose={() => props.onClose()}>
      <h2 id="recovery-title">{t("recovery.title")}</h2>
      <p id="recovery-body">{t("recovery.body")}</p>
      <p class="code" data-testid="recovery-code">{props.code}</p>
      <div class="row">
        <button type="button" onClick={copy}>{copied() ? t("recovery.copied") : t("recovery.copy")}</button>
        <button type="button" onClick={save}>{t("recovery.save")}</button>
        <button type="button" class="primary" onClick={() => dialog.close()}>{t("recovery.close")}</button>
      </div>
    </dialog>
  );
}
