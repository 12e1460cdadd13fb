import { lang, setLang, t } from "../words/i18n.ts";

export function LangSwitch(props: { onChange?: () => void }) {
  return (
    <button
      type="button"
      class="lang-switch"
      lang={lang() === "ko" ? "en" : "ko"}
      onClick={() => {
        setLang(lang() === "ko" ? "en" : "ko");
        props.onChange?.();
      }}
    >
      {t("lang.switch")}
    </button>
  );
}
