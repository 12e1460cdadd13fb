/**
 * The crisis alerts this staff member should see, kept current by the ops API's long poll
 * (`GET alerts?after=<version>&wait=`, docs/CRISIS.md "Ops API") for as long as the console is
 * signed in: asked again at once after each answer, after a growing pause on errors, and stopped
 * (the open request aborted) when the workspace goes away at sign-out.
 *
 * An alert that leaves the list, or comes back acknowledged, is *answered*: kept for a few seconds
 * with who answered, so the banner can say so before it goes.
 */
import type { AlertJson } from "@onsafe/schema/ops-api";
import { createSignal, onCleanup } from "solid-js";
import { OpsError, type OpsClient } from "../shell/ops-client.ts";

/** Under the homeserver's 35 s forwarding limit and the ops API's 30 s most. */
const WAIT_MS = 25_000;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** How long "Mina is on it" stays before the banner goes. */
export const ANSWERED_SHOWN_MS = 8_000;

export interface AnsweredAlert {
  alert: AlertJson;
  /** Who acknowledged or took it; null when the ops API no longer says (the alert just left the list). */
  by: string | null;
  until: number;
}

export function createAlertPoll(ops: OpsClient, me: string) {
  const [open, setOpen] = createSignal<AlertJson[]>([]);
  const [answered, setAnswered] = createSignal<AnsweredAlert[]>([]);
  const stop = new AbortController();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  onCleanup(() => {
    stop.abort();
    for (const timer of timers) clearTimeout(timer);
  });

  /** Alerts already shown as answered: the ops API lists an answered alert for a while (15 s), and once said is enough. */
  const told = new Set<string>();
  const markAnswered = (alert: AlertJson, by: string | null) => {
    const known = answered().find((a) => a.alert.id === alert.id);
    if (known) {
      // Named later (the list caught up with a refusal's 409): the name is worth the update.
      if (known.by === null && by !== null) setAnswered((list) => list.map((a) => (a === known ? { ...a, by } : a)));
      return;
    }
    if (told.has(alert.id)) return;
    told.add(alert.id);
    setAnswered((list) => [...list, { alert, by, until: Date.now() + ANSWERED_SHOWN_MS }]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      setAnswered((list) => list.filter((a) => a.alert.id !== alert.id));
    }, ANSWERED_SHOWN_MS);
    timers.add(timer);
  };

  /** Takes a new list: acknowledged ones and those that left are answered, the rest are open. */
  const take = (alerts: AlertJson[]) => {
    const before = open();
    const next = alerts.filter((a) => a.acknowledged_at === null && !answered().some((x) => x.alert.id === a.id));
    for (const a of alerts) if (a.acknowledged_at !== null) markAnswered(a, a.acknowledged_by);
    for (const a of before) if (!alerts.some((x) => x.id === a.id)) markAnswered(a, null);
    setOpen(next);
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
    timers.add(timer);
  });

  const run = async () => {
    let version: number | null = null;
    let backoff = FIRST_BACKOFF_MS;
    while (!stop.signal.aborted) {
      try {
        const reply = await ops.alerts(version, WAIT_MS, stop.signal);
        version = reply.version;
        take(reply.alerts);
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        if (stop.signal.aborted) return;
        // A signed-out token (401) will not come back: the console is on its way to the sign-in screen.
        if (error instanceof OpsError && error.status === 401) return;
        version = null;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  };
  void run();

  /** "I'm on it". True once the ops API took it, or someone else already had (409): either way it is answered. */
  const acknowledge = async (alert: AlertJson): Promise<boolean> => {
    try {
      const done = await ops.acknowledgeAlert(alert.id);
      markAnswered(alert, done.acknowledged_by ?? me);
    } catch (error) {
      if (!(error instanceof OpsError && (error.status === 409 || error.status === 404))) return false;
      markAnswered(alert, null);
    }
    setOpen((list) => list.filter((a) => a.id !== alert.id));
    return true;
  };

  return { open, answered, acknowledge };
}

export type AlertPoll = ReturnType<typeof createAlertPoll>;
