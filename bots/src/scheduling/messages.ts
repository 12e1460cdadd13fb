/**
 * What the scheduling bot says (texts in `bots/content/appointments.json`):
 * prompts carry `org.onsafe.prompt` (ids `<appointment>.<step>`) for buttons and
 * `org.onsafe.visit` for apps that draw cards; `body` is readable in any client.
 */
import {
  APPOINTMENT_KIND_INFO, type AppointmentKind, type Language, type PlaceKind, VISIT_FIELD, type VisitContent,
} from "@onsafe/schema";
import { textBook } from "../content/text-book.ts";
import type { Appointment, Slot } from "../storage/index.ts";
import type { OptionDef } from "../triage/bank.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";
import { type Question, questionMessage } from "../triage/prompt.ts";

export type { Question };
import { formatWhen } from "./calendar.ts";

type Bilingual = Record<Language, string>;

interface AppointmentTexts {
  centre: { name: Bilingual; address: Bilingual };
  kinds: Record<AppointmentKind, { label: Bilingual; aliases: string[]; bring: Bilingual }>;
  places: Record<PlaceKind, { label: Bilingual; aliases: string[] }>;
}

const book = textBook<AppointmentTexts>("appointments.json");
const TEXTS = book.data;

/** A text with `{name}` filled in. */
export const say = book.say;

export const kindLabel = (kind: AppointmentKind, lang: Language) => TEXTS.kinds[kind].label[lang];
export const placeLabel = (place: PlaceKind, lang: Language) => TEXTS.places[place].label[lang];
export const centreName = (lang: Language) => TEXTS.centre.name[lang];
export const centreAddress = (lang: Language) => TEXTS.centre.address[lang];

/** The options of one question: ids plus labels in both languages (typing either language works). */

const option = (id: string, label: Bilingual, aliases: string[] = []): OptionDef => ({ id, label, aliases });
const fixed = (key: string) => ({ ko: say("ko", key), en: say("en", key) }) satisfies Bilingual;

export const promptId = (a: Pick<Appointment, "id">, step: string) => `${a.id}.${step}`;

export function kindQuestion(a: Appointment): Question {
  return { id: promptId(a, "kind"), options: (Object.keys(APPOINTMENT_KIND_INFO) as AppointmentKind[]).map((k) => option(k, TEXTS.kinds[k].label, TEXTS.kinds[k].aliases)) };
}

export const NONE_FIT = "none";
export const KEEP_TIME = "keep";

export function timeQuestion(a: Appointment, slots: Slot[], timeZone: string, keep: boolean): Question {
  const options = slots.map((s) => option(s.id, { ko: formatWhen(s.startsAt, s.endsAt, timeZone, "ko"), en: formatWhen(s.startsAt, s.endsAt, timeZone, "en") }));
  if (keep) options.push(option(KEEP_TIME, fixed("keep_time")));
  options.push(option(NONE_FIT, fixed("none_fit"), ["다른시간", "other", "another"]));
  return { id: promptId(a, "time"), options };
}

export function placeQuestion(a: Appointment, places: readonly PlaceKind[]): Question {
  return { id: promptId(a, "place"), options: places.map((p) => option(p, TEXTS.places[p].label, TEXTS.places[p].aliases)) };
}

export const ADDRESS_LATER = "later";

export function addressQuestion(a: Appointment): Question {
  return { id: promptId(a, "address"), options: [option(ADDRESS_LATER, fixed("address_later"), ["나중에", "later"])] };
}

export const CHANGE = "change";
export const CANCEL = "cancel";

export function manageQuestion(a: Appointment): Question {
  return { id: promptId(a, "manage"), options: [option(CHANGE, fixed("manage_change")), option(CANCEL, fixed("manage_cancel"))] };
}

export const YES = "yes";
export const NO = "no";

export function cancelQuestion(a: Appointment): Question {
  return { id: promptId(a, "cancel"), options: [option(YES, fixed("cancel_yes"), ["네", "yes"]), option(NO, fixed("cancel_no"), ["아니요", "no"])] };
}

/** A question as a message: the text, then its options numbered. */
export function ask(question: Question, text: string, lang: Language, visit?: VisitContent): Outgoing {
  return questionMessage(question, text, lang, visit ? { [VISIT_FIELD]: visit } : {});
}

export function visitFields(a: Appointment, stage: VisitContent["stage"], timeZone: string, extra: Partial<VisitContent> = {}): VisitContent {
  return {
    stage,
    appointment_id: a.id,
    kind: a.kind,
    ...(a.startsAt !== null && a.endsAt !== null ? { starts_at: a.startsAt, ends_at: a.endsAt, time_zone: timeZone } : {}),
    place: a.place,
    ...extra,
  };
}

export function bring(kind: AppointmentKind, lang: Language): string {
  return TEXTS.kinds[kind].bring[lang];
}

export { notice };
