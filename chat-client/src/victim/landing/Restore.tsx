import { createSignal, Show } from "solid-js";
import { t } from "../../words/i18n.ts";
import { CrisisLines } from "../parts/CrisisLines.tsx";
import { TopBar } from "../parts/TopBar.tsx";
import { tooManyTriesText } from "./too-many-tries.ts";

/** `waitMs`: the server refused for too many tries (429) and asks to wait that long. */
export type RestoreOutcome = "ok" | "invalid" | "failed" | { waitMs: number };

/** The failure said as it is: a wrong-looking code, a refused one, or too many tries (wait about N minutes). */
function failureText(outcome: Exclude<RestoreOutcome, "ok">): string {
  if (outcome === "invalid") return t("restore.invalid");
  if (outcome === "failed") return t("restore.failed");
  return tooManyTriesText(outcome.waitMs);
}

/** Enter the recovery code to open the chat on this browser. */
export function Restore(props: { onSubmit: (code: string, keep: boolean) => Promise<RestoreOutcome>; onBack: () => void }) {
  const [code, setCode] = createSignal("");
  const [keepNothing, setKeepNothing] = createSignal(false);
  const [working, setWorking] = createSignal(false);
  const [error, setError] = createSignal<Exclude<RestoreOutcome, "ok"> | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    const outcome = await props.onSubmit(code(), !keepNothing());
    setWorking(false);
    if (outcome !== "ok") setError(outcome);
  };
  return (
    <>
      <TopBar />
      <main class="restore">
        <h1>{t("restore.title")}</h1>
        <form onSubmit={submit}>
          <label for="recovery-code">{t("restore.label")}</label>
          <p id="recovery-hint" class="hint">{t("restore.hint")}</p>
          <input
            id="recovery-code"
            class="code-input"
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            aria-describedby="recovery-hint"
            value={code()}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <label class="keep-nothing">
            <input type="checkbox" checked={keepNothing()} onChange={(e) => setKeepNothing(e.currentTarget.checked)} />
            <span>{t("landing.keepNothing")}</span>
          </label>
          <Show when={error()}>
            {(failure) => <p class="error" role="alert">{failureText(failure())}</p>}
          </Show>
          <button type="submit" class="primary" disabled={working()}>
            {working() ? t("restore.working") : t("restore.submit")}
          </button>
        </form>
        <button type="button" class="link" onClick={() => props.onBack()}>
          {t("restore.back")}
        </button>
        <CrisisLines />
      </main>
    </>
  );
}
