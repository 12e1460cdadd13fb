import type { GeneratedSecretStorageKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import { createSignal, Match, onCleanup, onMount, Show, Switch, type JSX } from "solid-js";
import { si } from "./signin-strings.ts";
import { MIN_PASSPHRASE_LENGTH, newRecoveryKey, recoveryState, renewDehydratedDevice, restoreLateKeys, setUpRecovery, unlockRecovery, WrongRecoveryKey, type RecoveryState } from "./staff-keys.ts";
import type { StaffSession } from "./staff-session.ts";
import "./signin.css";

/**
 * Between sign-in and the workspace: a recovery key to set (first sign-in of
 * the account) or to enter (a new device of an account that has one), one
 * screen each; "Later" goes on and is asked again at the next sign-in
 * (docs/CONSOLE.md "Sign-in and keys").
 */
export function RecoveryGate(props: { session: StaffSession; children: JSX.Element }) {
  const [state, setState] = createSignal<RecoveryState | "checking">("checking");
  onMount(async () => {
    if (props.session.login.recoveryLater) return setState("ready");
    // Unknown (the server did not answer): the workspace first; the question comes at the next sign-in.
    const state = await recoveryState(props.session.client).catch(() => "ready" as const);
    setState(state);
    if (state === "ready") void renewDehydratedDevice(props.session.client);
  });
  let cancelLateRestore = () => {};
  onCleanup(() => cancelLateRestore());
  const restored = () => {
    cancelLateRestore = restoreLateKeys(props.session.client);
    setState("ready");
  };
  const later = () => {
    props.session.putOffRecovery();
    setState("ready");
  };
  return (
    <Switch>
      <Match when={state() === "checking"}>
        <main><p role="status">…</p></main>
      </Match>
      <Match when={state() === "set-up"}>
        <SetUpRecovery session={props.session} onDone={() => setState("ready")} onLater={later} />
      </Match>
      <Match when={state() === "enter"}>
        <EnterRecovery session={props.session} onDone={restored} onReset={() => setState("set-up")} onLater={later} />
      </Match>
      <Match when={state() === "ready"}>{props.children}</Match>
    </Switch>
  );
}

function Later(props: { onLater: () => void }) {
  return (
    <div class="recovery-later">
      <p class="hint">{si("later.hint")}</p>
      <button type="button" onClick={() => props.onLater()}>{si("later")}</button>
    </div>
  );
}

/** The recovery key shown once, set only when the companion says it is written down; or a passphrase. */
function SetUpRecovery(props: { session: StaffSession; onDone: () => void; onLater: () => void }) {
  const client = props.session.client;
  const [generated, setGenerated] = createSignal<GeneratedSecretStorageKey | null>(null);
  const [usePassphrase, setUsePassphrase] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const [copied, setCopied] = createSignal(false);
  const [passphrase, setPassphrase] = createSignal("");
  const [again, setAgain] = createSignal("");
  const [working, setWorking] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  onMount(async () => setGenerated(await newRecoveryKey(client)));

  const set = async (key: () => Promise<GeneratedSecretStorageKey>) => {
    setWorking(true);
    setError(null);
    try {
      await setUpRecovery(client, props.session.secretKeys, await key());
      props.onDone();
    } catch (caught) {
      setError(si("setup.failed", { error: caught instanceof Error ? caught.message : String(caught) }));
      setWorking(false);
    }
  };
  const setWithKey = () => void set(async () => generated()!);
  const setWithPassphrase = (event: SubmitEvent) => {
    event.preventDefault();
    if (passphrase().length < MIN_PASSPHRASE_LENGTH) return setError(si("setup.passphraseShort", { min: MIN_PASSPHRASE_LENGTH }));
    if (passphrase() !== again()) return setError(si("setup.passphraseMismatch"));
    void set(() => newRecoveryKey(client, passphrase()));
  };
  const copy = async () => {
    await navigator.clipboard.writeText(generated()?.encodedPrivateKey ?? "").then(() => setCopied(true), () => undefined);
  };

  return (
    <main class="console-login recovery" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{si("setup.title")}</h1>
      <p>{si("setup.why")}</p>
      <Show
        when={usePassphrase()}
        fallback={
          <div class="recovery-form">
            <p id="recovery-key-label" class="label">{si("setup.keyLabel")}</p>
            <output class="recovery-key" aria-labelledby="recovery-key-label">{generated()?.encodedPrivateKey ?? "…"}</output>
            <div class="row">
              <button type="button" onClick={() => void copy()} disabled={!generated()}>{copied() ? si("setup.copied") : si("setup.copy")}</button>
            </div>
            <p>{si("setup.write")}</p>
            <label class="check">
              <input type="checkbox" checked={saved()} onChange={(e) => setSaved(e.currentTarget.checked)} />
              <span>{si("setup.saved")}</span>
            </label>
            <Show when={error()}>
              <p class="error" role="alert">{error()}</p>
            </Show>
            <button type="button" class="primary" disabled={!saved() || !generated() || working()} onClick={setWithKey}>
              {working() ? si("setup.working") : si("setup.confirm")}
            </button>
          </div>
        }
      >
        <form class="recovery-form" onSubmit={setWithPassphrase}>
          <label for="recovery-passphrase">{si("setup.passphrase", { min: MIN_PASSPHRASE_LENGTH })}</label>
          <input id="recovery-passphrase" type="password" autocomplete="new-password" aria-describedby="recovery-passphrase-hint" value={passphrase()} onInput={(e) => setPassphrase(e.currentTarget.value)} />
          <p id="recovery-passphrase-hint" class="hint">{si("setup.passphraseHint")}</p>
          <label for="recovery-passphrase-again">{si("setup.passphraseAgain")}</label>
          <input id="recovery-passphrase-again" type="password" autocomplete="new-password" value={again()} onInput={(e) => setAgain(e.currentTarget.value)} />
          <Show when={error()}>
            <p class="error" role="alert">{error()}</p>
          </Show>
          <button type="submit" class="primary" disabled={working()}>{working() ? si("setup.working") : si("setup.confirm")}</button>
        </form>
      </Show>
      <button type="button" class="link" disabled={working()} onClick={() => { setError(null); setUsePassphrase(!usePassphrase()); }}>
        {usePassphrase() ? si("setup.useKey") : si("setup.usePassphrase")}
      </button>
      <Later onLater={props.onLater} />
    </main>
  );
}

/** A new device of an account with secret storage: the recovery key or passphrase restores the key backup. */
function EnterRecovery(props: { session: StaffSession; onDone: () => void; onReset: () => void; onLater: () => void }) {
  const [text, setText] = createSignal("");
  const [working, setWorking] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!text().trim()) return;
    setWorking(true);
    setError(null);
    try {
      await unlockRecovery(props.session.client, props.session.secretKeys, text());
      props.onDone();
    } catch (caught) {
      setError(caught instanceof WrongRecoveryKey ? si("enter.wrong") : si("enter.failed", { error: caught instanceof Error ? caught.message : String(caught) }));
      setWorking(false);
    }
  };
  return (
    <main class="console-login recovery" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{si("enter.title")}</h1>
      <p>{si("enter.why")}</p>
      <form class="recovery-form" onSubmit={submit}>
        <label for="recovery-input">{si("enter.label")}</label>
        <input id="recovery-input" type="password" autocomplete="off" spellcheck={false} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button type="submit" class="primary" disabled={working()}>{working() ? si("enter.working") : si("enter.submit")}</button>
      </form>
      <details class="recovery-lost">
        <summary>{si("enter.lost")}</summary>
        <p>{si("enter.lostHint")}</p>
        <button type="button" disabled={working()} onClick={() => props.onReset()}>{si("enter.reset")}</button>
      </details>
      <Later onLater={props.onLater} />
    </main>
  );
}
