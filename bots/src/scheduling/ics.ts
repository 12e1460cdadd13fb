/**
 * The confirmation's calendar file (RFC 5545). Discreet on purpose: whoever
 * holds the phone may see the calendar, so the title is only "약속 /
 * Appointment", with no word of onsafe, the police or a court
 * (docs/SCHEDULING.md). The location is what was typed in the chat.
 */
export interface IcsEvent {
  uid: string;
  startsAt: number;
  endsAt: number;
  /** When the file was made. */
  stamp: number;
  location: string | null;
}

export const ICS_TITLE = "약속 / Appointment";
export const ICS_DESCRIPTION = "자세한 내용은 대화에서 확인하세요. / See the chat for details.";

export function appointmentIcs(e: IcsEvent): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//appointments//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${e.uid}`,
    `DTSTAMP:${utc(e.stamp)}`,
    `DTSTART:${utc(e.startsAt)}`,
    `DTEND:${utc(e.endsAt)}`,
    `SUMMARY:${text(ICS_TITLE)}`,
    `DESCRIPTION:${text(ICS_DESCRIPTION)}`,
    ...(e.location ? [`LOCATION:${text(e.location)}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

/** `20261203T050000Z`. */
function utc(ts: number): string {
  return new Date(ts).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** TEXT values escape backslash, semicolon, comma and line breaks. */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join("\r\n ");
}
