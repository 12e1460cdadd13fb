import { render } from "solid-js/web";
import { lang } from "../../words/i18n.ts";
import { ConsoleApp } from "./ConsoleApp.tsx";

document.documentElement.lang = lang();
render(() => <ConsoleApp />, document.getElementById("app")!);
