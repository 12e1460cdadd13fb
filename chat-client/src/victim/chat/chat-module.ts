/**
 * The chat, loaded after the landing page has appeared: matrix-js-sdk and the
 * chat screen. The Rust crypto wasm is fetched beside it (`main.tsx`).
 */
export { ChatScreen } from "./ChatScreen.tsx";
export { VictimSession } from "./session.ts";
export { waitAsked } from "../../matrix/proof-of-work.ts";
