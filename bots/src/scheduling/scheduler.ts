/**
 * Arranging appointments (docs/SCHEDULING.md): requests from companions, the
 * conversation with the victim in the case's appointments room, changes and
 * cancellations from either side. Decisions and bookings are recorded here in
 * synchronous transactions; `AppointmentRooms` carries what to say into Matrix.
 *
 * Each step is safe to run twice (the bot handles an event at least once):
 * choosing the slot one already holds is a success, and messages are sent
 * with transaction ids derived from what they answer, so a repeat is not seen.
 */
import { APPOINTMENT_KIND_INFO, type AppointmentKind, type AppointmentParty, type Language, VISIT_FIELD } from "@onsafe/schema";
import { isCaseCompanion } from "../queue/case-companion.ts";
import { shortId } from "../queue/case-id.ts";
import { KeyedChain } from "../runtime/keyed-chain.ts";
import type { OutgoingFile } from "../runtime/send-file.ts";
import type { IncomingMessage } from "../runtime/incoming-message.ts";
import { alreadyRead, markRead } from "../storage/read-mark.ts";
import type { Clock } from "../queue/clock.ts";
import type { Appointment, BotsTables, CaseRow, StaffMember } from "../storage/index.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import { matchOption } from "../triage/match.ts";
import { Availability } from "./availability.ts";
import { formatWhen } from "./calendar.ts";
import { appointmentIcs } from "./ics.ts";
import {
  ADDRESS_LATER, addressQuestion, ask, bring, CANCEL, cancelQuestion, centreAddress, centreName, CHANGE, KEEP_TIME, kindLabel,
  kindQuestion, manageQuestion, NONE_FIT, notice, placeLabel, placeQuestion, type Question, say, timeQuestion, visitFields, YES,
} from "./messages.ts";
import { badState, forbidden, notFound } from "@onsafe/matrix-basics";

export const APPOINTMENT_ID_PATTERN = /^a-[0-9a-z]{6}$/;
const CANCELLED_SHOWN_MS = 7 * 24 * 3_600_000;

/** The Matrix side, implemented by the scheduling bot. */
export interface AppointmentRooms {
  /** The case's appointments room, created on first need; makes sure the victim and `companionId` are in or invited. */
  open(c: CaseRow, companionId: string): Promise<string>;
  /** Sends in order, with transaction ids derived from `answering`; returns the event ids. */
  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]>;
  /** Sends a file as an encrypted attachment (`m.file`). */
  sendFile(roomId: string, file: OutgoingFile, answering: string): Promise<void>;
}

export class Scheduler {
  readonly availability: Availability;
  /**
   * Everything about one case's appointments runs in order: the victim's
   * messages, the companion's requests through the ops API, reminders.
   */
  readonly caseOrder = new KeyedChain();

  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly rooms: AppointmentRooms,
    readonly timeZone: string,
    defaultVisitsPerDay: number,
  ) {
    this.availability = new Availability(t, clock, timeZone, defaultVisitsPerDay);
  }

  // ---- companions (ops API, or an invite of the bot) ----

  /**
   * Starts arranging an appointment for the case; the victim is asked in the
   * appointments room. One still being arranged is asked again instead of a
   * second being started (a double click, or an invite and `/visit` together).
   */
  request(caseId: string, by: StaffMember, kind: AppointmentKind | null): Promise<Appointment> {
    return this.caseOrder.run(caseId, async () => {
      const c = this.t.cases.byId(caseId);
      if (!c) throw notFound("No such case");
      if (!isCaseCompanion(c, by.userId)) {
        throw forbidden("Only the case's companion may arrange an appointment for it; a supervisor takes the case over first");
      }
      const now = this.clock.now();
      const existing = this.t.appointments.openOfCase(caseId).find((x) => x.status === "requested" && x.companionId === by.userId);
      const id = existing?.id ?? shortId("a");
      if (!existing) this.t.appointments.insert({ id, caseId, companionId: by.userId, kind, step: kind ? "time" : "kind", createdAt: now });
      else if (existing.kind === null && kind !== null) this.t.appointments.update(id, { kind, step: "time" });
      const a = this.t.appointments.byId(id)!;
      const roomId = await this.rooms.open(c, by.userId);
      await this.askStep(roomId, a, this.lang(c), `request ${a.id} ${now}`);
      return this.t.appointments.byId(a.id)!;
    });
  }

  /** The appointments of a case, for its companion or a supervisor. */
  ofCase(caseId: string, viewer: StaffMember): Appointment[] {
    const c = this.t.cases.byId(caseId);
    if (!c) throw notFound("No such case");
    if (viewer.kind !== "supervisor" && c.assignedTo !== viewer.userId) throw forbidden("Only the case's companion or a supervisor may see its appointments");
    return this.t.appointments.ofCase(caseId);
  }

  /** The companion's agenda; cancellations stay on it for a week, so one by the victim is not missed. */
  agenda(companionId: string): Appointment[] {
    const now = this.clock.now();
    return this.t.appointments.agenda(companionId, now, now - CANCELLED_SHOWN_MS);
  }

  /** The companion cannot make the time: the slot is given up and the victim is offered times again. */
  async rescheduleByCompanion(appointmentId: string, by: StaffMember): Promise<Appointment> {
    const { caseId } = this.own(appointmentId, by);
    return this.caseOrder.run(caseId, async () => {
      const a = this.own(appointmentId, by);
      if (a.status === "cancelled") throw badState("The appointment is cancelled");
      const c = this.t.cases.byId(a.caseId)!;
      const lang = this.lang(c);
      const before = a.startsAt !== null && a.endsAt !== null ? formatWhen(a.startsAt, a.endsAt, this.timeZone, lang) : null;
      this.t.db.transaction(() => {
        this.availability.release(a);
        this.t.appointments.update(a.id, { status: "requested", slotId: null, startsAt: null, endsAt: null, step: a.kind ? "time" : "kind" });
      });
      const roomId = await this.rooms.open(c, a.companionId);
      const answering = `reschedule ${a.id} ${this.clock.now()}`;
      if (before) await this.rooms.send(roomId, [notice(say(lang, "companion_reschedule", { when: before }))], `${answering} notice`);
      await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
      return this.t.appointments.byId(a.id)!;
    });
  }

  async cancelByCompanion(appointmentId: string, by: StaffMember): Promise<Appointment> {
    const { caseId } = this.own(appointmentId, by);
    return this.caseOrder.run(caseId, async () => {
      const a = this.own(appointmentId, by);
      if (a.status === "cancelled") throw badState("The appointment is already cancelled");
      const c = this.t.cases.byId(a.caseId)!;
      await this.cancel(a, "companion", this.t.schedulingRooms.ofCase(c.id)?.roomId ?? await this.rooms.open(c, a.companionId), `cancel ${a.id}`);
      return this.t.appointments.byId(a.id)!;
    });
  }

  /** After a companion adds slots: appointments of theirs that wait for times are offered the new ones. */
  async offerAgain(companionId: string, answering: string): Promise<void> {
    const waiting = this.agenda(companionId).filter((a) => a.status !== "cancelled" && a.step === "waiting_for_times");
    for (const { id, caseId } of waiting) {
      await this.caseOrder.run(caseId, async () => {
        const a = this.t.appointments.byId(id)!;
        if (a.step !== "waiting_for_times" || a.kind === null || this.availability.freeFor(companionId, a.kind).length === 0) return;
        const room = this.t.schedulingRooms.ofCase(a.caseId);
        const c = this.t.cases.byId(a.caseId);
        if (!room || !c) return;
        this.t.appointments.update(a.id, { step: "time" });
        await this.askStep(room.roomId, this.t.appointments.byId(a.id)!, this.lang(c), `${answering} ${a.id}`);
      });
    }
  }

  // ---- the conversation in the appointments room ----

  async onMessage(m: IncomingMessage): Promise<void> {
    const room = this.t.schedulingRooms.byRoom(m.roomId);
    if (room) await this.caseOrder.run(room.caseId, () => this.handle(room.caseId, m));
  }

  private async handle(caseId: string, m: IncomingMessage): Promise<void> {
    const c = this.t.cases.byId(caseId);
    const room = this.t.schedulingRooms.byRoom(m.roomId);
    if (!c || !room || alreadyRead(room.read, m.ts, m.eventId)) return;
    // Typed words are matched against whatever is asked now: read them at most once, so after a
    // crash a "1" meant for the times never picks a place. (A tapped button names its question.)
    if (!m.answer) this.t.schedulingRooms.setRead(m.roomId, markRead(room.read, m.ts, m.eventId));
    const a = this.addressed(c.id, m.answer?.prompt_id);
    if (!a || (m.sender !== c.visitorId && m.sender !== a.companionId)) return;
    const lang = this.lang(c);
    const question = this.questionOf(a);
    if (m.answer && m.answer.prompt_id !== question?.id) {
      // A button of an earlier question (or this event again after a restart): ask what is open now.
      await this.askStep(m.roomId, a, lang, m.eventId);
      return;
    }
    const picked = question && (m.answer
      ? question.options.find((o) => o.id === m.answer!.option_id) ?? null
      : matchOption(question, m.body));

    if (a.step === "address") {
      const address = picked?.id === ADDRESS_LATER ? null : m.body.trim().slice(0, 300) || null;
      await this.confirm(m.roomId, a, lang, address, m.eventId);
      return;
    }
    if (!question) return;
    if (!picked) {
      // Thanks and other words after a confirmation need no answer; an open question does.
      if (a.step !== "settled") await this.rooms.send(m.roomId, [notice(say(lang, "not_understood"))], m.eventId);
      return;
    }
    await this.choose(m.roomId, a, lang, picked.id, m.eventId, m.sender === c.visitorId ? "victim" : "companion");
  }

  /** The victim left the appointments room (or deleted their account): their open appointments are cancelled. */
  async onVictimLeft(roomId: string): Promise<void> {
    const room = this.t.schedulingRooms.byRoom(roomId);
    if (!room) return;
    await this.caseOrder.run(room.caseId, async () => {
      for (const a of this.t.appointments.openOfCase(room.caseId)) {
        this.t.db.transaction(() => {
          this.availability.release(a);
          this.t.appointments.update(a.id, { status: "cancelled", step: "settled", cancelledBy: "victim", cancelledAt: this.clock.now() });
        });
      }
    });
  }

  private async choose(roomId: string, a: Appointment, lang: Language, choice: string, answering: string, by: AppointmentParty): Promise<void> {
    switch (a.step) {
      case "kind": {
        this.t.appointments.update(a.id, { kind: choice as AppointmentKind, step: "time" });
        await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
        return;
      }
      case "time":
        return this.chooseTime(roomId, a, lang, choice, answering);
      case "place": {
        this.t.appointments.update(a.id, { place: choice as Appointment["place"] });
        return this.afterPlace(roomId, this.t.appointments.byId(a.id)!, lang, answering);
      }
      case "settled": {
        if (choice === CHANGE) this.t.appointments.update(a.id, { step: "time" });
        if (choice === CANCEL) this.t.appointments.update(a.id, { step: "cancel" });
        await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
        return;
      }
      case "cancel": {
        if (choice === YES) return this.cancel(a, by, roomId, answering);
        this.t.appointments.update(a.id, { step: "settled" });
        await this.rooms.send(roomId, [notice(say(lang, "kept"))], answering);
        return;
      }
      default:
        return;
    }
  }

  private async chooseTime(roomId: string, a: Appointment, lang: Language, choice: string, answering: string): Promise<void> {
    if (choice === KEEP_TIME) {
      this.t.appointments.update(a.id, { step: "settled" });
      await this.rooms.send(roomId, [notice(say(lang, "kept"))], answering);
      return;
    }
    if (choice === NONE_FIT) {
      this.t.appointments.update(a.id, { step: "waiting_for_times" });
      await this.rooms.send(roomId, [notice(say(lang, "other_times"))], answering);
      return;
    }
    const moving = a.status === "confirmed";
    const result = this.t.db.transaction(() => this.availability.book(a, choice));
    if (result !== "booked") {
      await this.rooms.send(roomId, [notice(say(lang, "taken"))], `${answering} taken`);
      await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
      return;
    }
    const booked = this.t.appointments.byId(a.id)!;
    if (moving) {
      // A new time for a confirmed appointment: same place, a new confirmation (and calendar file).
      await this.confirm(roomId, booked, lang, null, answering, true);
      return;
    }
    this.t.appointments.update(a.id, { step: "place" });
    await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
  }

  private async afterPlace(roomId: string, a: Appointment, lang: Language, answering: string): Promise<void> {
    if (a.place === "centre") {
      await this.confirm(roomId, a, lang, null, answering);
      return;
    }
    this.t.appointments.update(a.id, { step: "address" });
    await this.askStep(roomId, this.t.appointments.byId(a.id)!, lang, answering);
  }

  /**
   * Confirms the booked appointment: the message (with the typed address, which
   * exists only in this encrypted event and the file) and the calendar file.
   */
  private async confirm(roomId: string, a: Appointment, lang: Language, address: string | null, answering: string, moved = false): Promise<void> {
    if (a.kind === null || a.startsAt === null || a.endsAt === null || a.place === null) return;
    const when = formatWhen(a.startsAt, a.endsAt, this.timeZone, lang);
    const placeName = a.place === "centre" ? centreName(lang) : placeLabel(a.place, lang);
    const where = a.place === "centre" ? `${placeName} (${centreAddress(lang)})` : `${placeName}: ${address ?? say(lang, "address_unknown")}`;
    const text = say(lang, "confirmed", { kind: kindLabel(a.kind, lang), when, where: moved ? placeLabel(a.place, lang) : where, bring: bring(a.kind, lang) });
    // The centre's address is public content, not anything the victim typed; it stays out of the calendar file all the same.
    const shownAddress = a.place === "centre" ? centreAddress(lang) : address;
    const visit = visitFields(a, "confirmed", this.timeZone, { address: moved ? null : shownAddress, bring: bring(a.kind, lang) });
    const [eventId] = await this.rooms.send(roomId, [ask(manageQuestion(a), text, lang, visit)], `${answering} confirmed`);
    const ics = appointmentIcs({ uid: `${a.id}@appointments`, startsAt: a.startsAt, endsAt: a.endsAt, stamp: this.clock.now(), location: moved ? null : address });
    await this.rooms.sendFile(roomId, { name: "appointment.ics", mimetype: "text/calendar", bytes: Buffer.from(ics), body: say(lang, "calendar") }, `${answering} ics`);
    this.t.appointments.update(a.id, {
      status: "confirmed", step: "settled", confirmationEventId: eventId, confirmedAt: this.clock.now(),
      // A new time gets its own reminders.
      reminded24hAt: null, reminded1hAt: null,
    });
  }

  private async cancel(a: Appointment, by: AppointmentParty, roomId: string, answering: string): Promise<void> {
    const c = this.t.cases.byId(a.caseId)!;
    const lang = this.lang(c);
    this.t.db.transaction(() => {
      this.availability.release(a);
      this.t.appointments.update(a.id, { status: "cancelled", step: "settled", cancelledBy: by, cancelledAt: this.clock.now() });
    });
    const when = a.startsAt !== null && a.endsAt !== null ? formatWhen(a.startsAt, a.endsAt, this.timeZone, lang) : "-";
    await this.rooms.send(roomId, [notice(say(lang, by === "victim" ? "cancelled_by_victim" : "cancelled_by_companion", { when }), {
      [VISIT_FIELD]: visitFields(a, "cancelled", this.timeZone, { cancelled_by: by }),
    })], `${answering} cancelled`);
  }

  /** Asks what the appointment's step needs, and remembers what was offered. */
  private async askStep(roomId: string, a: Appointment, lang: Language, answering: string): Promise<void> {
    let message: Outgoing;
    if (a.step === "kind") {
      message = ask(kindQuestion(a), say(lang, "kind"), lang);
    } else if (a.step === "time") {
      const slots = this.availability.freeFor(a.companionId, a.kind!);
      if (slots.length === 0) {
        this.t.appointments.update(a.id, { step: "waiting_for_times", offeredSlotIds: [] });
        await this.rooms.send(roomId, [notice(say(lang, "no_times"))], answering);
        return;
      }
      this.t.appointments.update(a.id, { offeredSlotIds: slots.map((s) => s.id) });
      const text = say(lang, "time", { kind: kindLabel(a.kind!, lang), minutes: APPOINTMENT_KIND_INFO[a.kind!].minutes });
      const visit = visitFields(a, "proposal", this.timeZone, { slots: slots.map((s) => ({ id: s.id, starts_at: s.startsAt, ends_at: s.endsAt })) });
      message = ask(timeQuestion(a, slots, this.timeZone, a.status === "confirmed"), text, lang, visit);
    } else if (a.step === "place") {
      const places = APPOINTMENT_KIND_INFO[a.kind!].places;
      if (places.length === 1) {
        this.t.appointments.update(a.id, { place: places[0] });
        await this.rooms.send(roomId, [notice(say(lang, "place_fixed", { place: placeLabel(places[0], lang) }))], `${answering} place`);
        return this.afterPlace(roomId, this.t.appointments.byId(a.id)!, lang, answering);
      }
      message = ask(placeQuestion(a, places), say(lang, "place"), lang);
    } else if (a.step === "address") {
      message = ask(addressQuestion(a), say(lang, "address", { place: placeLabel(a.place!, lang) }), lang);
    } else if (a.step === "cancel") {
      message = ask(cancelQuestion(a), say(lang, "cancel_ask"), lang);
    } else {
      return;
    }
    const [eventId] = await this.rooms.send(roomId, [message], `${answering} ask ${a.step}`);
    this.t.appointments.update(a.id, { promptEventId: eventId });
  }

  /** The question the appointment's step is waiting on, rebuilt from what was stored. */
  private questionOf(a: Appointment): Question | null {
    switch (a.step) {
      case "kind": return kindQuestion(a);
      case "time": {
        const slots = a.offeredSlotIds.map((id) => this.t.slots.byId(id)).filter((s) => s !== undefined);
        return timeQuestion(a, slots, this.timeZone, a.status === "confirmed");
      }
      case "place": return a.kind ? placeQuestion(a, APPOINTMENT_KIND_INFO[a.kind].places) : null;
      case "address": return addressQuestion(a);
      case "settled": return a.status === "confirmed" ? manageQuestion(a) : null;
      case "cancel": return cancelQuestion(a);
      default: return null;
    }
  }

  /** The appointment a message is about: the one the tapped button names, else the newest still being arranged, else the newest confirmed. */
  private addressed(caseId: string, promptId: string | undefined): Appointment | undefined {
    const open = this.t.appointments.openOfCase(caseId);
    if (promptId) {
      const id = promptId.split(".")[0];
      return open.find((a) => a.id === id);
    }
    return open.find((a) => a.step !== "settled") ?? open.find((a) => a.status === "confirmed");
  }

  /** An appointment its companion (or a supervisor) may change; anyone else's is "not found". */
  private own(appointmentId: string, by: StaffMember): Appointment {
    const a = APPOINTMENT_ID_PATTERN.test(appointmentId) ? this.t.appointments.byId(appointmentId) : undefined;
    if (!a || (a.companionId !== by.userId && by.kind !== "supervisor")) throw notFound("No such appointment");
    return a;
  }

  private lang(c: CaseRow): Language {
    return c.language ?? "ko";
  }
}
