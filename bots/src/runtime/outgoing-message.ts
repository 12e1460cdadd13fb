/** What the bots' rules hand to a bot to send: ready `m.room.message` contents (incoming-message.ts is the other way). */

export interface Outgoing {
  content: Record<string, unknown>;
}

/** Bots speak in `m.notice`, so clients (and other bots) never take them for the victim's words. */
export function notice(body: string, fields: Record<string, unknown> = {}): Outgoing {
  return { content: { msgtype: "m.notice", body, ...fields } };
}
