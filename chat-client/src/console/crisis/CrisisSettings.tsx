import type { StaffJson } from "@onsafe/schema/ops-api";
import { createSignal, Match, onMount, Show, Switch } from "solid-js";
import { askForNotifications, notificationsAllowed } from "../shell/announcer.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { crt } from "./crisis-strings.ts";
import { getCrisisPages, type PagesState, pagesState } from "./push-pages.ts";

/**
 * On call, beside the shift switch (docs/CRISIS.md "Level 2"): it matters while off shift, and the
 * line under it says so then.
 */
export function OnCallSwitch(props: { staff: StaffJson; onOnCall: (on: boolean) => void }) {
  return (
    <>
      <label class="shift on-call">
        <input type="checkbox" role="switch" checked={props.staff.on_call} aria-describedby="on-call-hint" onChange={(e) => props.onOnCall(e.currentTarget.checked)} />
        <span>{crt("onCall.toggle")}</span>
      </label>
      <p id="on-call-hint" class="on-call-hint" hidden={props.staff.on_shift}>{crt("onCall.hint")}</p>
    </>
  );
}

/** In the bar's settings: alerts on this computer (browser notifications) and crisis pages on this device (push), each saying where it stands. */
export function CrisisDevice(props: { session: StaffSession }) {
  const [alerts, setAlerts] = createSignal<"allowed" | "blocked" | "ask">(permission());
  const [pages, setPages] = createSignal<PagesState>("off");
  onMount(() => void pagesState().then(setPages));
  const allow = async () => {
    await askForNotifications();
    setAlerts(permission());
  };
  const getPages = async () => {
    setPages("working");
    setPages(await getCrisisPages(props.session).catch(() => "failed" as const));
    setAlerts(permission());
  };
  return (
    <section class="crisis-device" aria-labelledby="crisis-device-title">
      <h2 id="crisis-device-title">{crt("device.title")}</h2>
      <Switch>
        <Match when={alerts() === "allowed"}><p role="status">{crt("alerts.allowed")}</p></Match>
        <Match when={alerts() === "blocked"}><p role="status">{crt("alerts.blocked")}</p></Match>
        <Match when={alerts() === "ask"}><button type="button" onClick={() => void allow()}>{crt("alerts.allow")}</button></Match>
      </Switch>
      <Switch>
        <Match when={pages() === "unsupported"}><p class="pages-state" role="status">{crt("pages.unsupported")}</p></Match>
        <Match when={pages() === "blocked"}><p class="pages-state" role="status">{crt("pages.blocked")}</p></Match>
        <Match when={pages() === "on"}><p class="pages-state" role="status">{crt("pages.on")}</p></Match>
        <Match when={true}>
          <button type="button" class="get-pages" disabled={pages() === "working"} onClick={() => void getPages()}>
            {pages() === "working" ? crt("pages.working") : crt("pages.get")}
          </button>
          <Show when={pages() === "failed"}><p class="pages-state error" role="alert">{crt("pages.failed")}</p></Show>
        </Match>
      </Switch>
    </section>
  );
}

function permission(): "allowed" | "blocked" | "ask" {
  if (notificationsAllowed()) return "allowed";
  return "Notification" in window && Notification.permission === "denied" ? "blocked" : "ask";
}
