import { render } from "solid-js/web";
import { App, loadChat } from "./app.tsx";
import { lang } from "./i18n.ts";

document.documentElement.lang = lang();
render(() => <App />, document.getElementById("app")!);

// While the victim reads, fetch the chat code and compile the crypto wasm.
const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
idle(() => void loadChat().then((chat) => chat.warmUp()).catch(() => undefined));
