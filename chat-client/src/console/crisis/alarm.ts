/**
 * What an open crisis alert does besides its banner (docs/CRISIS.md "The console"): a tone every
 * 5 s while any alert is open (whatever the offers-and-messages sound setting says: nobody may sleep
 * through a crisis), and one browser notification per alert, while the tab is hidden, if this
 * computer allows them. Both carry fixed words and the case id only.
 */
import type { AlertJson } from "@onsafe/schema/ops-api";
import { createEffect, onCleanup } from "solid-js";
import { notificationsAllowed, tone } from "../shell/announcer.ts";
import { crt } from "./crisis-strings.ts";

export const RING_EVERY_MS = 5_000;

/** Two rising tones: apart from an offer's one, and heard over a room's noise. */
function ring(): void {
  tone({ frequency: 880, seconds: 0.35, volume: 0.3 });
  tone({ frequency: 1175, seconds: 0.45, volume: 0.3, at: 0.4 });
}

export function soundTheAlarm(open: () => AlertJson[]): void {
  // Rings at once for a new alert, then every RING_EVERY_MS while any is open.
  let timer: ReturnType<typeof setInterval> | undefined;
  const rang = new Set<string>();
  createEffect(() => {
    const alerts = open();
    if (alerts.length === 0) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    if (alerts.some((a) => !rang.has(a.id))) {
      for (const a of alerts) rang.add(a.id);
      ring();
      clearInterval(timer);
      timer = undefined;
    }
    timer ??= setInterval(ring, RING_EVERY_MS);
  });

  // One notification per alert: when it comes while the tab is hidden, or when the tab is hidden later while it is open.
  const notified = new Set<string>();
  const notify = () => {
    if (document.visibilityState === "visible" || !notificationsAllowed()) return;
    for (const a of open()) {
      if (notified.has(a.id)) continue;
      notified.add(a.id);
      const title = crt("notify.title");
      const options: NotificationOptions = { body: crt("notify.body", { id: a.case_id }), tag: `onsafe-crisis-${a.id}`, requireInteraction: true };
      try {
        new Notification(title, options);
      } catch {
        // Chrome on Android notifies only through a service worker: the console's, if crisis pages were turned on here.
        void navigator.serviceWorker?.getRegistration("/console/").then((r) => r?.showNotification(title, options)).catch(() => undefined);
      }
    }
  };
  createEffect(() => { open(); notify(); });
  document.addEventListener("visibilitychange", notify);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", notify);
  });
}
