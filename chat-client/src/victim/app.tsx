import { createMemo, createSignal, lazy, Match, onMount, Suspense, Switch } from "solid-js";
import { loadKeptSession } from "./device/kept-session.ts";
import { wipeDevice } from "./device/wipe.ts";
import { lang, setLang, t } from "../words/i18n.ts";
import { Deleted } from "./landing/Deleted.tsx";
import { Landing, type StartFailure } from "./landing/Landing.tsx";
import { Restore, type RestoreOutcome } from "./landing/Restore.tsx";
import { HeldMessages } from "./opening/held-messages.ts";
import { OpeningScreen } from "./opening/OpeningScreen.tsx";
import { TopBar } from "./parts/TopBar.tsx";
import { type AppOpening, fetchPublicConfig } from "../matrix/public-config.ts";
import type { VictimSession } from "./chat/session.ts";

/** The chat code, loaded after the landing page is on screen. */
export const loadChat = () => import("./chat/chat-module.ts");
const ChatScreen = lazy(() => loadChat().then((m) => ({ default: m.ChatScreen })));

type Screen = "landing" | "restore" | "resuming" | "opening" | "chat" | "deleted";

export function App() {
  const kept = loadKeptSession();
  if (kept) setLang(kept.lang);
  const [screen, setScreen] = createSignal<Screen>(kept ? "resuming" : "landing");
  const [session, setSession] = createSignal<VictimSession | null>(null);
  // The chat's room: a new conversation (`startAnother`) draws the chat screen afresh for the new room.
  const [chatRoom, setChatRoom] = createSignal<string | null>(null);
  const chat = createMemo(() => {
    const current = session();
    return screen() === "chat" && current ? { session: current, roomId: chatRoom() } : null;
  });
  const [failure, setFailure] = createSignal<StartFailure | null>(null);
  const [opening, setOpening] = createSignal<AppOpening | null>(null);
  const [keeping, setKeeping] = createSignal(true);
  // What the victim answers on the opening screen, in memory only; a start that fails keeps it for the next.
  const held = new HeldMessages();

  const enterChat = (next: VictimSession) => {
    // Someone typing on the opening screen goes on typing in the chat's message box (the same draft).
    const typing = document.activeElement?.id === "composer-chat";
    next.onEnded(() => {
      setSession(null);
      setScreen("landing");
    });
    setSession(next);
    setChatRoom(next.roomId);
    setScreen("chat");
    if (typing) focusWhenShown("composer-chat");
  };

  onMount(async () => {
    if (!kept) return;
    try {
      const { VictimSession } = await loadChat();
      enterChat(await VictimSession.resume(kept));
    } catch (error) {
      console.warn("onsafe: the kept session could not be resumed", error);
      await wipeDevice();
      setScreen("landing");
    }
  });

  // The greeting and first question show at once (from the public config the landing page asked for);
  // the answers are taken while the account, the crypto and the room are made (docs/FIRST-MINUTES.md).
  const start = async (keep: boolean) => {
    setFailure(null);
    setKeeping(keep);
    setScreen("opening");
    const chat = loadChat();
    try {
      setOpening((await fetchPublicConfig()).opening);
      const { VictimSession } = await chat;
      enterChat(await VictimSession.startNew(keep, lang(), held));
    } catch (error) {
      console.warn("onsafe: could not start", error);
      // Too many sign-ups from this address (a shelter's Wi-Fi, a phone network): say how long to wait.
      const wait = (await chat.catch(() => undefined))?.waitAsked(error) ?? null;
      setFailure(wait === null ? "failed" : { waitMs: wait });
      setScreen("landing");
    }
  };

  const restore = async (code: string, keep: boolean): Promise<RestoreOutcome> => {
    let chat: Awaited<ReturnType<typeof loadChat>> | undefined;
    try {
      chat = await loadChat();
      const restored = await chat.VictimSession.restore(code, keep, lang());
      if (!restored) return "invalid";
      enterChat(restored);
      return "ok";
    } catch (error) {
      console.warn("onsafe: could not restore", error);
      // Too many tries from this address (a shared one, perhaps): say how long to wait, not "check your code".
      const wait = chat?.waitAsked(error) ?? null;
      return wait === null ? "failed" : { waitMs: wait };
    }
  };

  return (
    <Switch>
      <Match when={screen() === "landing"}>
        <Landing onStart={start} onRestore={() => setScreen("restore")} failure={failure()} />
      </Match>
      <Match when={screen() === "restore"}>
        <Restore onSubmit={restore} onBack={() => setScreen("landing")} />
      </Match>
      <Match when={screen() === "opening"}>
        <OpeningScreen opening={opening()} held={held} kept={keeping()} />
      </Match>
      <Match when={screen() === "deleted"}>
        <Deleted onStartAgain={() => setScreen("landing")} />
      </Match>
      {/* Keyed: "don't keep anything on this phone" swaps the session for one in memory, a new conversation the room. */}
      <Match when={chat()} keyed>
        {({ session: current }) => (
          <Suspense fallback={<Loading />}>
            <ChatScreen
              session={current}
              onDeleted={() => setScreen("deleted")}
              onKeepNothing={async () => enterChat(await current.withoutKeeping())}
              onStartAgain={async () => {
                await current.startAnother();
                setChatRoom(current.roomId);
              }}
            />
          </Suspense>
        )}
      </Match>
      <Match when={screen() === "resuming"}>
        <Loading />
      </Match>
    </Switch>
  );
}

/** Focuses an element of a screen about to show (the chat's code may still be resolving), for up to a second. */
function focusWhenShown(id: string, frames = 60): void {
  const element = document.getElementById(id);
  if (element) element.focus();
  else if (frames > 0) requestAnimationFrame(() => focusWhenShown(id, frames - 1));
}

function Loading() {
  return (
    <>
      <TopBar />
      <main class="loading-screen">
        <p role="status">{t("chat.loading")}</p>
      </main>
    </>
  );
}
