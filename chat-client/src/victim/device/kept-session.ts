/**
 * What a victim who chose to keep their session has on this device: the
 * Matrix login, their room and recovery secret (for deleting the account
 * later) and their language. In "don't keep anything" mode none of this is
 * written; the session lives in memory only (docs/VICTIM-APP.md).
 */
import { isLang } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

export interface KeptSession {
  userId: string;
  deviceId: string;
  accessToken: string;
  /** The recovery secret: derives the password, needed to confirm deleting the account. */
  secret: string;
  roomId: string | null;
  lang: Lang;
  /** Whether the victim has dismissed the recovery code card (it is shown once). */
  recoverySeen: boolean;
}

const KEY = "onsafe.session";

export function loadKeptSession(): KeptSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<KeptSession>;
    if (typeof value.userId !== "string" || typeof value.deviceId !== "string" || typeof value.accessToken !== "string" || typeof value.secret !== "string") return null;
    return {
      userId: value.userId,
      deviceId: value.deviceId,
      accessToken: value.accessToken,
      secret: value.secret,
      roomId: typeof value.roomId === "string" ? value.roomId : null,
      lang: isLang(value.lang) ? value.lang : "ko",
      recoverySeen: value.recoverySeen === true,
    };
  } catch {
    return null;
  }
}

export function saveKeptSession(session: KeptSession): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}
