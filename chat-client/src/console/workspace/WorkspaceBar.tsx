import type { StaffJson } from "@onsafe/schema/ops-api";
import { createSignal, Show } from "solid-js";
import { LangSwitch } from "../../ui/LangSwitch.tsx";
import { CrisisDevice, OnCallSwitch } from "../crisis/CrisisSettings.tsx";
import { setSound, soundOn } from "../shell/announcer.ts";
import { ct } from "../shell/ct.ts";
import { SignOutButton } from "../shell/SignOutButton.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import { wt } from "./workspace-strings.ts";

export type View = "conversations" | "agenda" | "supervisor" | "partners";

/** The console's one bar while signed in: who I am, my load and shift, the views (supervisors get theirs), settings, language, and signing out. */
export function WorkspaceBar(props: {
  session: StaffSession;
  staff: StaffJson | null;
  view: View;
  onView: (view: View) => void;
  unread: number;
  onShift: (on: boolean) => void;
  onOnCall: (on: boolean) => void;
  onSignedOut: () => void;
}) {
  const [sound, setSoundSignal] = createSignal(soundOn());
  const tab = (view: View, label: string) => (
    <button type="button" class="view-button" aria-current={props.view === view ? "page" : undefined} onClick={() => props.onView(view)}>{label}</button>
  );
  return (
    <div class="workspace-bar">
      <span class="brand">{ct("title")}</span>
      <div class="me">
        <h1 id="me-title">{props.staff?.display_name ?? props.session.login.userId}</h1>
        <Show when={props.staff}>
          {(staff) => (
            <>
              <span class="me-facts"><span class="me-languages">{ct("me.languages", { languages: staff().languages.join(", ") })} · </span>{ct("me.load", { load: staff().load, capacity: staff().capacity })}</span>
              <label class="shift">
                <input type="checkbox" role="switch" checked={staff().on_shift} onChange={(e) => props.onShift(e.currentTarget.checked)} />
                <span>{ct("shift.toggle")}</span>
              </label>
              <OnCallSwitch staff={staff()} onOnCall={props.onOnCall} />
            </>
          )}
        </Show>
      </div>
      <nav class="views" aria-label={wt("nav.label")}>
        {tab("conversations", props.unread > 0 && props.view !== "conversations" ? wt("nav.conversationsUnread", { count: props.unread }) : wt("nav.conversations"))}
        {tab("agenda", wt("nav.agenda"))}
        <Show when={props.staff?.kind === "supervisor"}>
          {tab("supervisor", wt("nav.supervisor"))}
          {tab("partners", wt("nav.partners"))}
        </Show>
      </nav>
      <div class="bar-end">
        <details class="settings">
          <summary>{wt("settings")}</summary>
          <div class="settings-menu">
            <label class="shift">
              <input type="checkbox" checked={sound()} onChange={(e) => { setSound(e.currentTarget.checked); setSoundSignal(e.currentTarget.checked); }} />
              <span>{wt("sound")}</span>
            </label>
            <CrisisDevice session={props.session} />
          </div>
        </details>
        <LangSwitch />
        <SignOutButton session={props.session} onSignedOut={props.onSignedOut} />
      </div>
    </div>
  );
}
