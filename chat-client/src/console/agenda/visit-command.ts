import { APPOINTMENT_KINDS, type AppointmentKind } from "@onsafe/schema/scheduling";

export type VisitCommand = { kind?: AppointmentKind } | { help: true };

/**
 * `/visit` or `/visit <kind>` typed in the composer (docs/SCHEDULING.md): the
 * console asks the ops API instead of sending it into the room. Null for any
 * other text, which is sent as a message; an unknown kind asks for help.
 */
export function parseVisitCommand(body: string): VisitCommand | null {
  const match = /^\/visit(?:\s+([\s\S]*))?$/i.exec(body.trim());
  if (!match) return null;
  const argument = match[1]?.trim().toLowerCase();
  if (!argument) return {};
  return (APPOINTMENT_KINDS as readonly string[]).includes(argument) ? { kind: argument as AppointmentKind } : { help: true };
}
