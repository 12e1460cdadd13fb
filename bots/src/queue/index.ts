/** The queue: cases, staff directory, routing and metrics over one bots database. */
import type { BotsTables } from "../storage/index.ts";
import { CaseService } from "./case-service.ts";
import type { Clock } from "./clock.ts";
import { Dispatcher } from "./dispatcher.ts";
import { Metrics } from "./metrics.ts";
import { ReturningCases } from "./returning-cases.ts";
import type { CaseRoomActions } from "./case-room-actions.ts";
import { StaffCases } from "./staff-cases.ts";
import { StaffDirectory } from "./staff-directory.ts";

export interface QueueOptions {
  tables: BotsTables;
  clock: Clock;
  actions: CaseRoomActions;
  /** How long a companion has to accept an offer (config `offerTimeoutMs`). */
  offerTimeoutMs: number;
  /** Capacity of a new staff member without one (config `defaultCapacity`). */
  defaultCapacity: number;
  /** Time zone of the per-day metrics (config `hours.timeZone`). */
  timeZone: string;
}

export interface Queue {
  cases: CaseService;
  staff: StaffDirectory;
  staffCases: StaffCases;
  metrics: Metrics;
  /** Returning victims: a new case's link to the earlier one (docs/CRISIS.md "Returning victims"). */
  returning: ReturningCases;
}

export function createQueue(o: QueueOptions): Queue {
  const dispatcher = new Dispatcher(o.tables, o.clock, o.actions, o.offerTimeoutMs);
  return {
    cases: new CaseService(o.tables, o.clock, o.actions, dispatcher),
    staff: new StaffDirectory(o.tables, o.clock, dispatcher, o.defaultCapacity),
    staffCases: new StaffCases(o.tables, o.clock, o.actions, dispatcher),
    metrics: new Metrics(o.tables, o.clock, o.timeZone),
    returning: new ReturningCases(o.tables),
  };
}

/** Checks for lapsed offers every `everyMs`; returns a function that stops it. */
export function startOfferTimer(cases: CaseService, everyMs = 5_000): () => void {
  const timer = setInterval(() => {
    cases.expireOffers().catch((error: Error) => console.error(`queue: expiring offers failed: ${error.message.slice(0, 200)}`));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export { CaseService, type TriageUpdate } from "./case-service.ts";
export { type Clock, systemClock } from "./clock.ts";
export type { CaseRoomActions } from "./case-room-actions.ts";
export type { QueueEntry } from "./staff-cases.ts";
export { StaffCases } from "./staff-cases.ts";
export { StaffDirectory, type StaffInput } from "./staff-directory.ts";
export { Metrics, type MetricsSnapshot } from "./metrics.ts";
export { ReturningCases } from "./returning-cases.ts";
