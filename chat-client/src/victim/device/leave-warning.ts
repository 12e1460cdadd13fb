/**
 * In "don't keep anything" mode, leaving the page loses the chat on this
 * device, so the browser asks first (`beforeunload`). Quick exit must never be
 * held up by that question: it ends the warning before it leaves.
 */
const warn = (event: BeforeUnloadEvent) => {
  event.preventDefault();
  // Older Chromium asks only when returnValue is set.
  event.returnValue = "";
};

/** Screens asking for the warning now: a screen may be made anew before the old one is gone. */
let holders = 0;

/** Warns until the returned function is called (by every screen that asked). */
export function warnBeforeLeaving(): () => void {
  holders += 1;
  window.addEventListener("beforeunload", warn);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders = Math.max(0, holders - 1);
    if (holders === 0) window.removeEventListener("beforeunload", warn);
  };
}

export function stopWarningBeforeLeaving(): void {
  holders = 0;
  window.removeEventListener("beforeunload", warn);
}
