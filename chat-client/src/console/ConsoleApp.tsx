import { createSignal, Match, onMount, Switch } from "solid-js";
import { LangSwitch } from "../ui/LangSwitch.tsx";
import { ct } from "./ct.ts";
import { Dashboard } from "./Dashboard.tsx";
import { Login } from "./Login.tsx";
import type { StaffSession } from "./staff-session.ts";

/**
 * The companion console (issue 6), first part: sign-in, shift, offers, queue.
 * Still to build: the conversation view, canned responses, transfer and close,
 * notifications and the supervisor view (see docs/CONSOLE.md).
 */
export function ConsoleApp() {
  const [session, setSession] = createSignal<StaffSession | null>(null);
  const [ready, setReady] = createSignal(false);
  onMount(async () => {
    const { StaffSession } = await import("./staff-session.ts");
    setSession(await StaffSession.resume());
    setReady(true);
  });
  return (
    <>
      <header class="top-bar">
        <span class="brand">{ct("title")}</span>
        <div class="top-actions">
          <LangSwitch />
        </div>
      </header>
      <Switch>
        <Match when={!ready()}>
          <main><p role="status">…</p></main>
        </Match>
        <Match when={session()}>
          {(current) => <Dashboard session={current()} onSignedOut={() => setSession(null)} />}
        </Match>
        <Match when={ready()}>
          <Login onSignedIn={setSession} />
        </Match>
      </Switch>
    </>
  );
}
