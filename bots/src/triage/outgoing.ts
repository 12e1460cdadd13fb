/** What the triage bot hands to its caller to send: ready `m.room.message` contents. */

export interface Outgoing {
  content: Record<string, unknown>;
}

/** Bots speak in `m.notice`, so clients (and other bots) never take them for the victim's words. */
export function notice(body: string, fields: Record<string, unknown> = {}): Outgoing {
  return { content: { msgtype: "m.notice", body, ...fields } };
}
