import { createResource, createSignal, Match, onMount, Switch } from "solid-js";
import { LangSwitch } from "../../ui/LangSwitch.tsx";
import { ct } from "./ct.ts";
import { Login } from "./Login.tsx";
import { PartnerView } from "../partner/PartnerView.tsx";
import { RecoveryGate } from "./RecoveryKey.tsx";
import { SignOutButton } from "./SignOutButton.tsx";
import type { StaffSession } from "./staff-session.ts";
import { Workspace } from "../workspace/Workspace.tsx";

/**
 * The console (docs/CONSOLE.md): sign-in, then the companion's or
 * supervisor's workspace, or the partner view for a partner's staff member.
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
          {(current) => (
            <RecoveryGate session={current()}>
              <SignedIn session={current()} onSignedOut={() => setSession(null)} />
            </RecoveryGate>
          )}
        </Match>
        <Match when={ready()}>
          <Login onSignedIn={setSession} />
        </Match>
      </Switch>
    </>
  );
}

/** Which view is theirs is the ops API's word (`GET me`): the kind decides, and each route checks it again. */
function SignedIn(props: { session: StaffSession; onSignedOut: () => void }) {
  const [me, { refetch }] = createResource(() => props.session.ops.me());
  return (
    <Switch>
      <Match when={me.error}>
        <main class="console">
          <p class="error" role="alert">{ct("error.ops")}</p>
          <button type="button" class="primary" onClick={() => void refetch()}>{ct("retry")}</button>
          <SignOutButton session={props.session} onSignedOut={props.onSignedOut} />
        </main>
      </Match>
      <Match when={me()?.kind === "partner" && me()}>
        {(partner) => <PartnerView session={props.session} me={partner()} onSignedOut={props.onSignedOut} />}
      </Match>
      <Match when={me()}>
        <Workspace session={props.session} onSignedOut={props.onSignedOut} />
      </Match>
      <Match when={me.loading}>
        <main><p role="status">…</p></main>
      </Match>
    </Switch>
  );
}
