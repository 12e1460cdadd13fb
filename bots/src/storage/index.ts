/** The bots database and its tables, opened together. */
import { AlertChanges } from "./alert-changes.ts";
import { CaseErasureStore } from "./case-erasure.ts";
import { CaseLogStore } from "./case-log.ts";
import { CaseStore } from "./cases.ts";
import { CrisisAlertStore } from "./crisis-alerts.ts";
import { MetaStore } from "./meta.ts";
import { AppointmentStore } from "./appointments.ts";
import { OfferStore } from "./offers.ts";
import { PagerRoomStore } from "./pager-rooms.ts";
import { PartnerStore } from "./partners.ts";
import { ReferralDeskStore } from "./referral-desks.ts";
import { ReferralStore } from "./referrals.ts";
import { RoomDepartureStore } from "./room-departures.ts";
import { SchedulingRoomStore } from "./scheduling-rooms.ts";
import { SlotStore } from "./slots.ts";
import { StaffStore } from "./staff.ts";
import type { BotsStore } from "./store.ts";

export interface BotsTables {
  db: BotsStore;
  staff: StaffStore;
  cases: CaseStore;
  offers: OfferStore;
  log: CaseLogStore;
  meta: MetaStore;
  slots: SlotStore;
  appointments: AppointmentStore;
  schedulingRooms: SchedulingRoomStore;
  partners: PartnerStore;
  referrals: ReferralStore;
  referralDesks: ReferralDeskStore;
  erasure: CaseErasureStore;
  departures: RoomDepartureStore;
  crisisAlerts: CrisisAlertStore;
  pagerRooms: PagerRoomStore;
  /** Fired when what someone sees of crisis alerts may have changed (alerts, shifts, on-call). */
  alertChanges: AlertChanges;
}

export function botsTables(db: BotsStore): BotsTables {
  const alertChanges = new AlertChanges();
  return {
    db, staff: new StaffStore(db, alertChanges), cases: new CaseStore(db), offers: new OfferStore(db), log: new CaseLogStore(db), meta: new MetaStore(db),
    slots: new SlotStore(db), appointments: new AppointmentStore(db), schedulingRooms: new SchedulingRoomStore(db),
    partners: new PartnerStore(db),
    referrals: new ReferralStore(db),
    referralDesks: new ReferralDeskStore(db),
    erasure: new CaseErasureStore(db),
    departures: new RoomDepartureStore(db),
    crisisAlerts: new CrisisAlertStore(db, alertChanges),
    pagerRooms: new PagerRoomStore(db),
    alertChanges,
  };
}

export { type BotsStore, openBotsStore, openMemoryBotsStore } from "./store.ts";
export type { CaseRow, CasePatch } from "./cases.ts";
export type { Offer } from "./offers.ts";
export type { StaffMember, StaffProfile } from "./staff.ts";
export type { CrisisAlert } from "./crisis-alerts.ts";
export { AlertChanges } from "./alert-changes.ts";
export type { Appointment, AppointmentPatch } from "./appointments.ts";
export type { Slot } from "./slots.ts";
export type { SchedulingRoom } from "./scheduling-rooms.ts";
export type { Partner, PartnerFields } from "./partners.ts";
export type { Referral, ReferralPatch } from "./referrals.ts";
export type { DeskPatch, DeskStep, ReferralDesk } from "./referral-desks.ts";
