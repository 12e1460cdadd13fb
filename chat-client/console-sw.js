/*
 * The companion console's service worker (docs/CRISIS.md "Push"), served as /console/sw.js with
 * scope /console/: the only service worker onsafe has (the victim app registers none). It turns a
 * Web Push from the bots' gateway into a notification with fixed words: a push carries only
 * {"v":1,"kind":"page"|"message"}, never a case, a room or anything anyone wrote, and nothing
 * here reads more. Plain JavaScript, copied as it is by the build (vite.config.ts).
 * review: unreviewed wording (issue 22): the notifications' Korean and English.
 */
const NOTICES = {
  // A crisis page: stays until dismissed, and sounds again for each new page.
  page: {
    title: "onsafe: 위기 알림, 지금 응답이 필요해요",
    options: { body: "onsafe: a crisis alert needs someone now", tag: "onsafe-page", requireInteraction: true, renotify: true },
  },
  message: {
    title: "onsafe: 콘솔에 새 소식이 있어요",
    options: { body: "onsafe: something new in the console", tag: "onsafe-message", silent: true },
  },
  other: {
    title: "onsafe: 콘솔을 확인해 주세요",
    options: { body: "onsafe: please look at the console", tag: "onsafe-other" },
  },
};

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => event.waitUntil(onPush(event)));

async function onPush(event) {
  const kind = kindOf(event.data);
  if (kind === "message" && (await consoleWindows()).some((w) => w.visibilityState === "visible")) return;
  const notice = NOTICES[kind] ?? NOTICES.other;
  await self.registration.showNotification(notice.title, notice.options);
}

/** `page`, `message`, or null for anything else (no payload, not JSON, another version). */
function kindOf(data) {
  try {
    const payload = data ? data.json() : null;
    if (payload && payload.v === 1 && (payload.kind === "page" || payload.kind === "message")) return payload.kind;
  } catch {
    // Not JSON: the generic notice.
  }
  return null;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openConsole());
});

async function openConsole() {
  const open = await consoleWindows();
  if (open.length > 0) return open[0].focus();
  return self.clients.openWindow("/console");
}

/** The console's open windows: `/console` itself is outside the scope, so uncontrolled ones count. */
async function consoleWindows() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows.filter((w) => {
    const path = new URL(w.url).pathname;
    return path === "/console" || path.startsWith("/console/");
  });
}
