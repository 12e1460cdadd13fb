import { createSignal, Match, onMount, Show, Switch } from "solid-js";
import { ct } from "./ct.ts";
import { si } from "./signin-strings.ts";
import { waitForBackup, keysNotBackedUp } from "./staff-keys.ts";
import type { StaffSession } from "./staff-session.ts";
import "./signin.css";

/**
 * "Sign out" and everything it takes: on shift, the companion is asked to go
 * off shift first (or stay on shift and signed in); the room keys of this
 * device are left to reach the key backup; then the device ends and this
 * computer forgets the session (StaffSession.signOut).
 */
export function SignOutButton(props: { session: StaffSession; onSignedOut: () => void }) {
  const [asking, setAsking] = createSignal(false);
  return (
    <>
      <button type="button" onClick={() => setAsking(true)}>{ct("logout")}</button>
      <Show when={asking()}>
        <SignOutDialog session={props.session} onSignedOut={props.onSignedOut} onClose={() => setAsking(false)} />
      </Show>
    </>
  );
}

type Step = "asking" | "working" | "saving" | "unsaved";

function SignOutDialog(props: { session: StaffSession; onSignedOut: () => void; onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  const session = props.session;
  // null: not known yet or not known at all (the ops API did not answer).
  const [onShift, setOnShift] = createSignal<boolean | null>(null);
  const [checked, setChecked] = createSignal(false);
  const [backup, setBackup] = createSignal<"none" | "some">("some");
  const [step, setStep] = createSignal<Step>("asking");
  const [left, setLeft] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);

  onMount(async () => {
    dialog.showModal();
    const [me, notBackedUp] = await Promise.all([session.ops.me().catch(() => null), keysNotBackedUp(session.client).catch(() => 0)]);
    setOnShift(me ? me.on_shift : null);
    setBackup(notBackedUp === null ? "none" : "some");
    setChecked(true);
  });

  const finish = async () => {
    setStep("working");
    await session.signOut();
    props.onSignedOut();
  };
  const confirm = async () => {
    setError(null);
    setStep("working");
    if (onShift()) {
      try {
        await session.ops.setShift(false);
        setOnShift(false);
      } catch {
        setError(si("signout.shiftFailed"));
        return setStep("asking");
      }
    }
    if (backup() === "some") {
      setStep("saving");
      const remaining = await waitForBackup(session.client).catch(() => 0);
      if (remaining) {
        setLeft(remaining);
        return setStep("unsaved");
      }
    }
    await finish();
  };

  return (
    <dialog ref={dialog} class="dialog sign-out-dialog" aria-labelledby="sign-out-title" aria-describedby="sign-out-body" onClose={() => props.onClose()}>
      <h2 id="sign-out-title">{si("signout.title")}</h2>
      <div id="sign-out-body">
        <Show when={checked()} fallback={<p role="status">…</p>}>
          <p>{onShift() ? si("signout.onShift") : si("signout.offShift")}</p>
          <Show when={onShift() === null}>
            <p class="hint">{si("signout.shiftUnknown")}</p>
          </Show>
          <Show when={backup() === "none"}>
            <p class="error">{si("signout.noBackup")}</p>
          </Show>
        </Show>
        <Switch>
          <Match when={step() === "saving"}>
            <p role="status">{si("signout.saving")}</p>
          </Match>
          <Match when={step() === "unsaved"}>
            <p class="error" role="alert">{si("signout.unsaved", { count: left() })}</p>
          </Match>
        </Switch>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
      </div>
      <div class="row">
        <button type="button" onClick={() => dialog.close()} disabled={step() === "working" || step() === "saving"}>
          {onShift() ? si("signout.stay") : si("signout.cancel")}
        </button>
        <Switch>
          <Match when={step() === "unsaved"}>
            <button type="button" class="danger" onClick={() => void finish()}>{si("signout.anyway")}</button>
          </Match>
          <Match when={true}>
            <button type="button" class="primary" onClick={() => void confirm()} disabled={!checked() || step() !== "asking"}>
              {step() === "asking" ? (onShift() ? si("signout.goOff") : si("signout.confirm")) : si("signout.working")}
            </button>
          </Match>
        </Switch>
      </div>
    </dialog>
  );
}
