/**
 * The partner directory (docs/REFERRALS.md "Partner directory"): the
 * organisations companions refer victims to. Supervisors add and change them;
 * a partner is deactivated, never deleted, so past referrals keep naming it.
 * Every write is checked whole, and a refused one changes nothing.
 */
import { isOneOf, PARTNER_KINDS } from "@onsafe/schema";
import { shortId } from "../queue/case-id.ts";
import type { Clock } from "../queue/clock.ts";
import { isLanguageCode } from "../queue/staff-directory.ts";
import type { BotsTables, Partner, PartnerFields } from "../storage/index.ts";
import { invalidParam, notFound } from "@onsafe/matrix-basics";

export const PARTNER_ID_PATTERN = /^p-[0-9a-z]{6}$/;
export const MAX_NAME_LENGTH = 500;
export const MAX_FACT_LENGTH = 200;

/** A new partner; it starts active. */
export type PartnerInput = Omit<PartnerFields, "active">;
/** Fields left out stay as they are. */
export type PartnerChanges = Partial<PartnerFields>;

export class PartnerDirectory {
  constructor(private readonly t: BotsTables, private readonly clock: Clock) {}

  /** Active partners, by kind and English name. */
  list(): Partner[] {
    return this.t.partners.active();
  }

  /** Any partner, active or not (past referrals name inactive ones). */
  get(id: string): Partner {
    const partner = PARTNER_ID_PATTERN.test(id) ? this.t.partners.byId(id) : undefined;
    if (!partner) throw notFound("No such partner");
    return partner;
  }

  create(input: PartnerInput): Partner {
    const fields = this.checked({ ...input, active: true });
    const now = this.clock.now();
    const partner: Partner = { id: shortId("p"), ...fields, createdAt: now, updatedAt: now };
    this.t.partners.insert(partner);
    return partner;
  }

  update(id: string, changes: PartnerChanges): Partner {
    return this.t.db.transaction(() => {
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as PartnerChanges;
      this.t.partners.update(id, this.checked({ ...this.get(id), ...given }), this.clock.now());
      return this.get(id);
    });
  }

  /** Takes the partner out of the list; already inactive is fine. */
  deactivate(id: string): Partner {
    return this.t.db.transaction(() => {
      this.get(id);
      this.t.partners.deactivate(id, this.clock.now());
      return this.get(id);
    });
  }

  /** The fields as stored (texts trimmed, lists without repeats), or M_INVALID_PARAM. */
  private checked(f: PartnerFields): PartnerFields {
    if (!isOneOf(PARTNER_KINDS, f.kind)) throw invalidParam(`'kind' must be one of ${PARTNER_KINDS.join(", ")}`);
    const languages = [...new Set(f.languages)];
    if (languages.length === 0 || !languages.every(isLanguageCode)) throw invalidParam("'languages' must be one or more codes such as ko, en");
    const staffIds = [...new Set(f.staffIds)];
    for (const userId of staffIds) {
      if (this.t.staff.get(userId)?.kind !== "partner") throw invalidParam(`${userId} is not a partner account in the staff directory`);
    }
    return {
      kind: f.kind,
      name: { ko: text("name.ko", f.name.ko, MAX_NAME_LENGTH), en: text("name.en", f.name.en, MAX_NAME_LENGTH) },
      about: { ko: text("about.ko", f.about.ko, MAX_NAME_LENGTH), en: text("about.en", f.about.en, MAX_NAME_LENGTH) },
      region: text("region", f.region, MAX_FACT_LENGTH),
      languages,
      hours: text("hours", f.hours, MAX_FACT_LENGTH),
      contact: text("contact", f.contact, MAX_FACT_LENGTH),
      staffIds,
      active: f.active,
    };
  }
}

function text(field: string, value: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed === "") throw invalidParam(`'${field}' must not be empty`);
  if (trimmed.length > maxLength) throw invalidParam(`'${field}' is longer than ${maxLength} characters`);
  return trimmed;
}
