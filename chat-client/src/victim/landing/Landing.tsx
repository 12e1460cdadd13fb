import { createResource, createSignal, Show } from "solid-js";
import { fetchPublicConfig } from "../../matrix/public-config.ts";
import { t } from "../../words/i18n.ts";
import { CrisisLines } from "../parts/CrisisLines.tsx";
import { TopBar } from "../parts/TopBar.tsx";
import { tooManyTriesText } from "./too-many-tries.ts";

/** Why "Start" did not open a chat: it failed, or the server asks to wait `waitMs` (429: too many sign-ups from this connection). */
export type StartFailure = "failed" | { waitMs: number };

/**
 * What onsafe is, what stays private, the crisis lines and one clear action;
 * and, before Start, whether a counsellor is online now.
 */
export function Landing(props: { onStart: (keep: boolean) => void; onRestore: () => void; failure: StartFailure | null }) {
  const [keepNothing, setKeepNothing] = createSignal(false);
  // Unknown (not answered yet, or no answer) says nothing: only a "closed" from the service does.
  const [config] = createResource(() => fetchPublicConfig().catch(() => null));
  const closed = () => config()?.open === false;
  return (
    <>
      <TopBar />
      <main class="landing">
        <h1>{t("landing.title")}</h1>
        <p class="lead">{t("landing.lead")}</p>
        <section aria-labelledby="private-title" class="private">
          <h2 id="private-title">{t("landing.private.title")}</h2>
          <ul>
            <li>{t("landing.private.noName")}</li>
            <li>{t("landing.private.onlyYou")}</li>
            <li>{t("landing.private.free")}</li>
          </ul>
        </section>
        <Show when={closed()}>
          <section class="closed" role="status" aria-labelledby="closed-title">
            <h2 id="closed-title">{t("landing.closed.title")}</h2>
            <p>{t("landing.closed.body")}</p>
          </section>
        </Show>
        <div class="start">
          <button type="button" class="primary" onClick={() => props.onStart(!keepNothing())}>
            {t("landing.start")}
          </button>
          <Show when={props.failure}>
            {(failure) => {
              const current = failure();
              return <p class="error" role="alert">{current === "failed" ? t("landing.startFailed") : tooManyTriesText(current.waitMs)}</p>;
            }}
          </Show>
          <label class="keep-nothing">
            <input type="checkbox" checked={keepNothing()} onChange={(e) => setKeepNothing(e.currentTarget.checked)} aria-describedby="keep-nothing-hint" />
            <span>{t("landing.keepNothing")}</span>
          </label>
          <p id="keep-nothing-hint" class="hint">{t("landing.keepNothingHint")}</p>
        </div>
        <CrisisLines />
        <button type="button" class="link" onClick={() => props.onRestore()}>
          {t("landing.restore")}
        </button>
      </main>
    </>
  );
}
