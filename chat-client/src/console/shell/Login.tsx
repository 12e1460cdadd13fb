import { createSignal, Show } from "solid-js";
import { ct } from "./ct.ts";
import { OpsError } from "./ops-client.ts";
import { si } from "./signin-strings.ts";
import type { StaffSession } from "./staff-session.ts";

/**
 * What went wrong, said as it is: only the homeserver's refusal of the
 * password is "wrong username or password" (a crypto store that would not
 * open used to be reported so too, issue 19).
 */
async function failure(caught: unknown): Promise<string> {
  if (caught instanceof OpsError) return caught.status === 403 ? ct("login.notStaff") : ct("error.ops");
  // The session's code itself could not be loaded: the server is out of reach.
  const session = await import("./staff-session.ts").catch(() => null);
  if (!session) return si("login.unreachable");
  if (!(caught instanceof session.SignInError)) return si("login.other", { error: String(caught), errcode: "—" });
  if (caught.stage === "keys") return si("login.keys", { error: caught.message });
  switch (caught.errcode) {
    case "M_FORBIDDEN": return ct("login.failed");
    case "M_LIMIT_EXCEEDED": return si("login.limited");
    case "M_USER_DEACTIVATED": return si("login.deactivated");
    case undefined: return si("login.unreachable");
    default: return si("login.other", { error: caught.message, errcode: caught.errcode });
  }
}

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
      setError(await failure(caught));
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
