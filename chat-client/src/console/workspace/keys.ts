/**
 * The workspace's keys (docs/CONSOLE.md "Keys"): Alt+ArrowUp / Alt+ArrowDown for the previous /
 * next conversation (as Element and Slack have them), Alt+C to write in the open conversation.
 * Chosen to keep clear of screen readers (NVDA, JAWS and VoiceOver use Insert, Caps Lock and
 * Control+Option, and single letters in browse mode), of the browser's own Ctrl+1..9, and of
 * a Korean IME: nothing acts while a character is being composed, and Alt+C is read from the
 * key's place (`code`), so it works with the Korean layout on too. In a list box Alt+ArrowDown
 * opens it, so arrows there are left alone.
 */
export type KeyAction = "previous" | "next" | "compose";

export const SWITCH_KEYS = "Alt+ArrowUp Alt+ArrowDown";
export const COMPOSE_KEYS = "Alt+C";

export interface KeyFacts {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  isComposing: boolean;
  /** The focused element's tag, upper case ("SELECT"). */
  targetTag: string;
}

export function keyAction(e: KeyFacts): KeyAction | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.isComposing) return null;
  if (e.code === "KeyC") return "compose";
  if (e.targetTag === "SELECT") return null;
  if (e.key === "ArrowUp") return "previous";
  if (e.key === "ArrowDown") return "next";
  return null;
}

/** The conversation `step` places from `current` in `order` (wrapping round); the first or last when none is open. */
export function stepFrom(order: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (order.length === 0) return null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at === -1) return step === 1 ? order[0]! : order[order.length - 1]!;
  return order[(at + step + order.length) % order.length]!;
}
