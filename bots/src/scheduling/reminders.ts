/**
 * Reminders 24 h and 1 h before a confirmed appointment, in the appointments
 * room as a reply to the confirmation (docs/SCHEDULING.md). Each is sent once;
 * one that is due late (the service was down) still goes out, and a 24 h
 * reminder whose moment passed into the last hour gives way to the 1 h one.
 */
import { type Language, VISIT_FIELD } from "@onsafe/schema";
import type { Clock } from "../queue/clock.ts";
import type { KeyedChain } from "../runtime/keyed-chain.ts";
import type { Appointment, BotsTables } from "../storage/index.ts";
import { formatWhen } from "./calendar.ts";
import { kindLabel, notice, say, visitFields } from "./messages.ts";
import type { AppointmentRooms } from "./scheduler.ts";

const HOUR = 3_600_000;

export class Reminders {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly rooms: AppointmentRooms,
    private readonly timeZone: string,
    /** The scheduler's order per case, so a reminder never crosses a change of time. */
    private readonly caseOrder: KeyedChain,
  ) {}

  /** Sends the reminders due now; returns how many went out. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const { id, caseId } of this.t.appointments.confirmedStartingBy(now, now + 24 * HOUR)) {
      if (await this.caseOrder.run(caseId, () => this.sendIfDue(id, now))) sent++;
    }
    return sent;
  }

  private async sendIfDue(id: string, now: number): Promise<boolean> {
    const a = this.t.appointments.byId(id);
    if (!a || a.status !== "confirmed" || a.startsAt === null || a.startsAt <= now) return false;
    const inLastHour = a.startsAt - now <= HOUR;
    if (inLastHour && a.reminded1hAt === null) {
      await this.remind(a, "1h");
      this.t.appointments.update(a.id, { reminded1hAt: now, reminded24hAt: a.reminded24hAt ?? now });
      return true;
    }
    if (!inLastHour && a.reminded24hAt === null && a.confirmedAt! < a.startsAt - 24 * HOUR) {
      await this.remind(a, "24h");
      this.t.appointments.update(a.id, { reminded24hAt: now });
      return true;
    }
    return false;
  }

  private async remind(a: Appointment, which: "24h" | "1h"): Promise<void> {
    const room = this.t.schedulingRooms.ofCase(a.caseId);
    const c = this.t.cases.byId(a.caseId);
    if (!room || !c || a.kind === null) return;
    const lang: Language = c.language ?? "ko";
    const text = say(lang, `reminder_${which}`, { kind: kindLabel(a.kind, lang), when: formatWhen(a.startsAt!, a.endsAt!, this.timeZone, lang) });
    const relation = a.confirmationEventId ? { "m.relates_to": { "m.in_reply_to": { event_id: a.confirmationEventId } } } : {};
    await this.rooms.send(room.roomId, [notice(text, { [VISIT_FIELD]: visitFields(a, "reminder", this.timeZone), ...relation })], `remind ${a.id} ${a.startsAt} ${which}`);
  }
}

/** Checks for due reminders (of any kind) every `everyMs`; returns a function that stops it. */
export function startReminderTimer(reminders: { sendDue(): Promise<number> }, everyMs: number, what = "reminders"): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    reminders.sendDue()
      .catch((error: Error) => console.error(`${what}: sending reminders failed: ${error.message.slice(0, 200)}`))
      .finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
