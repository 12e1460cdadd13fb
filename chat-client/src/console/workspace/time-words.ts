/** Times as the workspace says them: an offer's countdown ("1:05") and how long ago ("5 min ago"). */
import { wt } from "./workspace-strings.ts";

/** Minutes and seconds left, never below zero: "1:05". */
export function countdown(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function ago(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return wt("ago.now");
  if (minutes < 60) return wt("ago.minutes", { n: minutes });
  return wt("ago.hours", { n: Math.floor(minutes / 60) });
}
