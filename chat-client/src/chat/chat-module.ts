/**
 * The chat, loaded after the landing page has appeared: matrix-js-sdk, the
 * Rust crypto wasm and the chat screen. `warmUp` fetches and compiles the wasm
 * while the victim reads, so pressing "start" does not wait for it.
 */
export { ChatScreen } from "./ChatScreen.tsx";
export { VictimSession } from "./session.ts";

export async function warmUp(): Promise<void> {
  const wasm = await import("@matrix-org/matrix-sdk-crypto-wasm");
  await wasm.initAsync();
}
