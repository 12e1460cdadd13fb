import { createSignal, Show } from "solid-js";
import { ct } from "./ct.ts";
import { signInFailure } from "./sign-in-failure.ts";
import type { StaffSession } from "./staff-session.ts";

export function Login(props: { onSignedIn: (session: StaffSession) => void }) {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [working, setWorking] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    let session: StaffSession | null = null;
    try {
      const { StaffSession } = await import("./staff-session.ts");
      session = await StaffSession.signIn(username().trim(), password());
      await session.ops.me();
      props.onSignedIn(session);
    } catch (caught) {
      if (session) await session.signOut();
      setError(await signInFailure(caught));
    } finally {
      setWorking(false);
    }
  };
  return (
    <main class="console-login">
      <h1>{ct("login.title")}</h1>
      <form onSubmit={submit}>
        <label for="staff-username">{ct("login.username")}</label>
        <input id="staff-username" autocomplete="username" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="staff-password">{ct("login.password")}</label>
        <input id="staff-password" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button type="submit" class="primary" disabled={working()}>{working() ? ct("login.working") : ct("login.submit")}</button>
      </form>
    </main>
  );
}
