import { render } from "solid-js/web";
import { App, loadChat } from "./app.tsx";
import { lang } from "../words/i18n.ts";

document.documentElement.lang = lang();
render(() => <App />, document.getElementById("app")!);

// Once the landing page is on screen, fetch what Start needs: the chat code and the crypto wasm, side by side.
// The wasm (1.4 MB brotli) is the longest download; behind the chat code's chain of chunks it started
// 2.7 s later on a slow phone (1.6 Mbps, 150 ms RTT). It compiles while it downloads (instantiateStreaming).
const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
idle(() => {
  void loadChat().catch(() => undefined);
  void import("@matrix-org/matrix-sdk-crypto-wasm").then((wasm) => wasm.initAsync()).catch(() => undefined);
});
