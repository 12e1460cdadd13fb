import { t } from "../../words/i18n.ts";
import { CrisisLines } from "../parts/CrisisLines.tsx";
import { TopBar } from "../parts/TopBar.tsx";

export function Deleted(props: { onStartAgain: () => void }) {
  return (
    <>
      <TopBar />
      <main class="deleted">
        <h1>{t("deleted.title")}</h1>
        <p>{t("deleted.body")}</p>
        <button type="button" class="primary" onClick={() => props.onStartAgain()}>
          {t("landing.start")}
        </button>
        <CrisisLines />
      </main>
    </>
  );
}
