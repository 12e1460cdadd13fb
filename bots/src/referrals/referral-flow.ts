/**
 * Referrals (docs/REFERRALS.md): a companion offers a partner, the victim
 * agrees item by item in the referral room, and only what they agreed to is
 * handed over: to the partner's staff in the room, or in a letter the victim
 * carries. Statuses and ids are recorded here; `ReferralRooms` carries the
 * words into Matrix. The companion's summary exists only in the bot's
 * encrypted offer and is read back from there at hand-off.
 */
import { HANDED_OFF_STATUSES, isOneOf, type Language, REFERRAL_ITEMS, type ReferralItem, type ReferralStatus } from "@onsafe/schema";
import { DEFAULT_TIME_ZONE } from "../config.ts";
import { isCaseCompanion } from "../queue/case-companion.ts";
import { shortId } from "../queue/case-id.ts";
import type { Clock } from "../queue/clock.ts";
import { KeyedChain } from "../runtime/keyed-chain.ts";
import type { IncomingMessage } from "../runtime/incoming-message.ts";
import { alreadyRead, markRead } from "../storage/read-mark.ts";
import type { OutgoingFile } from "../runtime/send-file.ts";
import type { BotsTables, CaseRow, Partner, Referral, StaffMember } from "../storage/index.ts";
import { matchOption } from "../triage/match.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import { type Letter, LETTER_FILE_NAME, letterPdf } from "./letter-pdf.ts";
import {
  ask, categoryWords, DECLINE, itemNames, itemQuestion, notice, referralField, say, WITHDRAW, withdrawQuestion, YES,
} from "./messages.ts";
import { badState, forbidden, invalidParam, notFound } from "@onsafe/matrix-basics";

export const REFERRAL_ID_PATTERN = /^r-[0-9a-z]{6}$/;
export const MAX_SUMMARY_LENGTH = 2000;
/** Statuses in which the partner is welcome in the room: handed off, and not withdrawn (a withdrawal removed them). */
const PARTNER_WELCOME: ReferralStatus[] = HANDED_OFF_STATUSES.filter((s) => s !== "withdrawn");
/** The partner is helping (or the victim has the letter): the companion may record the help as done. */
const COMPLETABLE: ReferralStatus[] = ["accepted", "letter_given", "first_contact"];
/** Consent that can still be taken back. */
const WITHDRAWABLE: ReferralStatus[] = ["consented", "accepted", "letter_given", "first_contact"];

/** What the referral flow needs to know of a partner organisation (a directory entry). */
export type PartnerInfo = Pick<Partner, "id" | "name" | "about" | "region" | "hours" | "contact" | "staffIds" | "active">;

/** The Matrix side, implemented by the referral bot. */
export interface ReferralRooms {
  /** Creates the referral room with the victim and the companion (history visible from joining only); returns its id. */
  create(c: CaseRow, companionId: string): Promise<string>;
  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]>;
  /** Sends a file as an encrypted attachment (`m.file`), the transaction id derived from `answering`; returns the event id. */
  sendFile(roomId: string, file: OutgoingFile, answering: string): Promise<string>;
  invite(roomId: string, userIds: string[]): Promise<void>;
  /** Removes the users from the room: kicks those who joined, withdraws pending invites. */
  remove(roomId: string, userIds: string[]): Promise<void>;
  /** The text of the companion's summary in the bot's offer, read back from the room; null if it cannot be read. */
  summaryOf(roomId: string, offerEventId: string): Promise<string | null>;
}

export class Referrals {
  readonly caseOrder = new KeyedChain();

  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly rooms: ReferralRooms,
    private readonly partner: (id: string) => PartnerInfo | undefined,
    /** The letter's date is the day here. */
    private readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {}

  /** The companion offers a partner; the victim is asked in a new referral room. */
  async offer(caseId: string, by: StaffMember, partnerId: string, items: unknown, summary: string | undefined): Promise<Referral> {
    const chosen = checkItems(items);
    if (chosen.includes("summary") && !summary?.trim()) throw invalidParam("'summary' is needed when the summary is offered");
    if (summary !== undefined && summary.length > MAX_SUMMARY_LENGTH) throw invalidParam(`'summary' is longer than ${MAX_SUMMARY_LENGTH} characters`);
    return this.caseOrder.run(caseId, async () => {
      const c = this.t.cases.byId(caseId);
      if (!c) throw notFound("No such case");
      if (!isCaseCompanion(c, by.userId)) throw forbidden("Only the case's companion may refer it; a supervisor takes the case over first");
      const partner = this.partner(partnerId);
      if (!partner?.active) throw notFound("No such partner");
      // A partner without accounts here cannot write to the victim in a chat: the victim gets a letter instead,
      // so asking her whether they may would promise a contact that never comes (issue 19).
      if (chosen.includes("contact") && partner.staffIds.length === 0) {
        throw invalidParam("'contact' cannot be offered: this partner has no accounts here, so the victim gets a letter and contacts the partner directly");
      }
      const id = shortId("r");
      this.t.referrals.insert({ id, caseId, partnerId, companionId: by.userId, itemsOffered: chosen, createdAt: this.clock.now() });
      const roomId = await this.rooms.create(c, by.userId);
      this.t.referrals.update(id, { roomId });
      const r = this.t.referrals.byId(id)!;
      const lang = this.lang(c);
      const values = { partner: partner.name[lang], about: partner.about[lang], region: partner.region, hours: partner.hours };
      // The offer holds the summary: in this encrypted event and nowhere else.
      const [offerEventId] = await this.rooms.send(roomId, [notice(say(lang, "offer", values), {
        "org.onsafe.referral": referralField(r, "offer", { items: chosen, partner_name: partner.name[lang] }),
        ...(summary ? { "org.onsafe.referral_summary": summary } : {}),
      })], `offer ${id}`);
      this.t.referrals.update(id, { offerEventId });
      await this.askItem(this.t.referrals.byId(id)!, c, partner, summary ?? null, `offer ${id}`);
      return this.t.referrals.byId(id)!;
    });
  }

  ofCase(caseId: string, viewer: StaffMember): Referral[] {
    const c = this.t.cases.byId(caseId);
    if (!c) throw notFound("No such case");
    if (viewer.kind !== "supervisor" && c.assignedTo !== viewer.userId) throw forbidden("Only the case's companion or a supervisor may see its referrals");
    return this.t.referrals.ofCase(caseId);
  }

  /** The companion records that the partner's help is done. */
  async complete(referralId: string, by: StaffMember): Promise<Referral> {
    const r = REFERRAL_ID_PATTERN.test(referralId) ? this.t.referrals.byId(referralId) : undefined;
    if (!r || (r.companionId !== by.userId && by.kind !== "supervisor")) throw notFound("No such referral");
    return this.caseOrder.run(r.caseId, async () => {
      const now = this.t.referrals.byId(r.id)!;
      if (!COMPLETABLE.includes(now.status)) throw badState(`A referral that is ${now.status} cannot be completed`);
      this.t.referrals.update(r.id, { status: "completed", completedAt: this.clock.now() });
      return this.t.referrals.byId(r.id)!;
    });
  }

  // ---- events in referral rooms ----

  /** A message of the victim in a referral room: an answer about an item, or a withdrawal. */
  async onVictimMessage(m: IncomingMessage): Promise<void> {
    const r = this.t.referrals.byRoom(m.roomId);
    if (!r) return;
    await this.caseOrder.run(r.caseId, () => this.handleAnswer(r.id, m));
  }

  /**
   * Someone joined a referral room: a partner's staff joining is the partner accepting. The hand-off
   * is posted again for them: the first went out with the invite, encrypted for the devices they had
   * then, and a console first signed in afterwards could not read it (there is no key backup to share).
   */
  async onJoin(roomId: string, userId: string, joinEventId: string): Promise<void> {
    const r = this.t.referrals.byRoom(roomId);
    if (!r) return;
    await this.caseOrder.run(r.caseId, async () => {
      const now = this.t.referrals.byId(r.id)!;
      const partner = this.partner(now.partnerId);
      const c = this.t.cases.byId(now.caseId);
      if (!partner?.staffIds.includes(userId) || !c || !now.handoffEventId || !PARTNER_WELCOME.includes(now.status)) return;
      if (now.status === "consented") this.t.referrals.update(now.id, { status: "accepted", acceptedAt: this.clock.now() });
      await this.rooms.send(roomId, [await this.handoff(now, c, partner)], `joined ${joinEventId}`);
    });
  }

  /** A message from the partner's side: its first is the first contact. Its content is never read. */
  async onPartnerMessage(roomId: string, sender: string): Promise<void> {
    const r = this.t.referrals.byRoom(roomId);
    if (!r || r.status !== "accepted" || !this.partner(r.partnerId)?.staffIds.includes(sender)) return;
    this.t.referrals.update(r.id, { status: "first_contact", firstContactAt: this.clock.now() });
  }

  isPartnerStaff(roomId: string, userId: string): boolean {
    const r = this.t.referrals.byRoom(roomId);
    return r !== undefined && (this.partner(r.partnerId)?.staffIds.includes(userId) ?? false);
  }

  private async handleAnswer(id: string, m: IncomingMessage): Promise<void> {
    const r = this.t.referrals.byId(id)!;
    const c = this.t.cases.byId(r.caseId);
    const partner = this.partner(r.partnerId);
    if (!c || !partner || m.sender !== c.visitorId || alreadyRead(r.read, m.ts, m.eventId)) return;
    const lang = this.lang(c);
    if (r.step === "done") {
      const question = withdrawQuestion(r);
      const picked = m.answer ? (m.answer.prompt_id === question.id ? m.answer.option_id : null) : matchOption(question, m.body)?.id;
      if (picked === WITHDRAW && WITHDRAWABLE.includes(r.status)) await this.withdraw(r, partner, lang, m.eventId);
      return;
    }
    const question = itemQuestion(r, r.step);
    if (m.answer && m.answer.prompt_id !== question.id) {
      // A button of an earlier question: ask the open one again.
      const summary = r.step === "summary" && r.offerEventId ? await this.rooms.summaryOf(m.roomId, r.offerEventId) : null;
      await this.askItem(r, c, partner, summary, m.eventId);
      return;
    }
    const picked = m.answer ? question.options.find((o) => o.id === m.answer!.option_id)?.id : matchOption(question, m.body)?.id;
    if (!picked) {
      await this.rooms.send(m.roomId, [notice(say(lang, "not_understood"))], m.eventId);
      return;
    }
    const consented = picked === YES ? [...r.itemsConsented, r.step] : r.itemsConsented;
    const next = picked === DECLINE ? undefined : r.itemsOffered[r.itemsOffered.indexOf(r.step) + 1];
    // The answer and the read mark in one write: after a crash this message is not read again as the
    // answer to the next question (a typed "1" must never consent to something it was not about).
    this.t.referrals.update(r.id, { itemsConsented: picked === DECLINE ? [] : consented, step: next ?? "done", read: markRead(r.read, m.ts, m.eventId) });
    const updated = this.t.referrals.byId(r.id)!;
    if (next) {
      const summary = next === "summary" && r.offerEventId ? await this.rooms.summaryOf(m.roomId, r.offerEventId) : null;
      await this.askItem(updated, c, partner, summary, m.eventId);
      return;
    }
    await this.finish(updated, c, partner);
  }

  /**
   * After a restart: referrals whose last answer was taken but whose outcome was not yet recorded
   * (the bot stopped while telling the victim or the partner) are finished now.
   */
  async resumeUnfinished(): Promise<void> {
    for (const r of this.t.referrals.answeredUnfinished()) {
      await this.caseOrder.run(r.caseId, async () => {
        const now = this.t.referrals.byId(r.id)!;
        const c = this.t.cases.byId(now.caseId);
        const partner = this.partner(now.partnerId);
        if (c && partner && now.step === "done" && now.status === "offered") await this.finish(now, c, partner);
      });
    }
  }

  /**
   * The outcome of the victim's answers (`r.itemsConsented`): declined, a hand-off, or a letter. Every
   * message first, under transaction ids of this referral's one finish, then the status in one write:
   * a finish cut short is run again whole (`resumeUnfinished`) and repeats nothing the room already has.
   */
  private async finish(r: Referral, c: CaseRow, partner: PartnerInfo): Promise<void> {
    const lang = this.lang(c);
    const consented = r.itemsConsented;
    const answering = `finish ${r.id}`;
    if (consented.length === 0) {
      await this.rooms.send(r.roomId!, [notice(say(lang, "declined", { partner: partner.name[lang] }), {
        "org.onsafe.referral": referralField(r, "status", { status: "declined" }),
      })], `${answering} declined`);
      this.t.referrals.update(r.id, { status: "declined", declinedAt: this.clock.now() });
      return;
    }
    const summary = consented.includes("summary") && r.offerEventId ? await this.rooms.summaryOf(r.roomId!, r.offerEventId) : null;
    if (partner.staffIds.length > 0 && consented.includes("contact")) {
      await this.rooms.invite(r.roomId!, partner.staffIds);
      const text = say(lang, "invited", { partner: partner.name[lang], items: itemNames(consented, lang) });
      await this.rooms.send(r.roomId!, [ask(withdrawQuestion(r), text, lang, referralField(r, "consent", { items: consented, status: "consented" }))], `${answering} invited`);
      // The hand-off goes out with the invite, so it is the first thing the partner reads on joining
      // (history is visible from one's invite on; nothing before it is).
      const [handoffEventId] = await this.rooms.send(r.roomId!, [await this.handoff(r, c, partner, summary)], `${answering} handoff`);
      this.t.referrals.update(r.id, { status: "consented", consentedAt: this.clock.now(), handoffEventId });
      return;
    }
    // No one to invite (or no consent to be contacted here): a letter the victim carries, as text and as a PDF.
    // Nothing reached the partner, so it is not "accepted": the victim contacts the partner directly. The letter never
    // says "contact: this chat" (nobody will write there), whatever was agreed.
    const now = this.clock.now();
    const items = this.lines(r, c, summary, lang, { letter: true });
    const letter = say(lang, "letter", { partner: partner.name[lang], contact: partner.contact, hours: partner.hours, items: items });
    await this.rooms.send(r.roomId!, [ask(withdrawQuestion(r), letter, lang, referralField(r, "letter", { items: lettered(consented), status: "letter_given" }))], `${answering} letter`);
    await this.sendLetterPdf(r, { lang, partner: partner.name[lang], contact: partner.contact, hours: partner.hours, items: items, date: now, timeZone: this.timeZone }, answering);
    this.t.referrals.update(r.id, { status: "letter_given", consentedAt: now });
  }

  /**
   * The same letter as a PDF to print or show, right after the text: made in memory and sent encrypted,
   * never stored here. The victim has the text letter already (the referral is accepted with it), so a
   * PDF that fails is only logged.
   */
  private async sendLetterPdf(r: Referral, letter: Letter, answering: string): Promise<void> {
    try {
      const pdf = await letterPdf(letter);
      await this.rooms.sendFile(r.roomId!, {
        name: LETTER_FILE_NAME, mimetype: "application/pdf", bytes: pdf, body: LETTER_FILE_NAME,
        fields: { "org.onsafe.referral": referralField(r, "letter", { items: lettered(r.itemsConsented) }) },
      }, `${answering} letter pdf`);
    } catch (error) {
      console.error(`referrals: the letter PDF of ${r.id} was not sent: ${(error as Error).message.slice(0, 200)}`);
    }
  }

  private async withdraw(r: Referral, partner: PartnerInfo, lang: Language, answering: string): Promise<void> {
    const hadRoom = partner.staffIds.length > 0 && r.itemsConsented.includes("contact");
    if (hadRoom) await this.rooms.remove(r.roomId!, partner.staffIds);
    this.t.referrals.update(r.id, { status: "withdrawn", withdrawnAt: this.clock.now() });
    await this.rooms.send(r.roomId!, [notice(say(lang, hadRoom ? "withdrawn" : "withdrawn_letter", { partner: partner.name[lang] }), {
      "org.onsafe.referral": referralField(r, "status", { status: "withdrawn" }),
    })], `${answering} withdrawn`);
  }

  private async askItem(r: Referral, c: CaseRow, partner: PartnerInfo, summary: string | null, answering: string): Promise<void> {
    if (r.step === "done") return;
    const lang = this.lang(c);
    const text = say(lang, `item.${r.step}`, { partner: partner.name[lang], category: categoryWords(c.category, lang), summary: summary ?? "" });
    await this.rooms.send(r.roomId!, [ask(itemQuestion(r, r.step), text, lang, referralField(r, "consent", { items: r.itemsConsented }))], `${answering} ask ${r.step}`);
  }

  /** The hand-off: only the agreed items, for the partner's staff. */
  private async handoff(r: Referral, c: CaseRow, partner: PartnerInfo, summary?: string | null): Promise<Outgoing> {
    const lang = this.lang(c);
    const text = summary !== undefined ? summary
      : r.itemsConsented.includes("summary") && r.offerEventId ? await this.rooms.summaryOf(r.roomId!, r.offerEventId) : null;
    return notice(say(lang, "handoff", { id: r.id, partner: partner.name[lang], items: this.lines(r, c, text, lang) }), {
      "org.onsafe.referral": referralField(r, "handoff", { items: r.itemsConsented }),
    });
  }

  /** The agreed items as lines for the hand-off or the letter (which never names a chat contact). */
  private lines(r: Referral, c: CaseRow, summary: string | null, lang: Language, to: { letter: boolean } = { letter: false }): string {
    return (to.letter ? lettered(r.itemsConsented) : r.itemsConsented).map((item) => {
      if (item === "category") return say(lang, "line.category", { category: categoryWords(c.category, lang) });
      if (item === "summary") return say(lang, "line.summary", { summary: summary ?? "-" });
      return say(lang, "line.contact");
    }).join("\n");
  }

  private lang(c: CaseRow): Language {
    return c.language ?? "ko";
  }
}

/** What a letter carries of the agreed items: never contact in a chat, since nobody is invited to one. */
function lettered(items: ReferralItem[]): ReferralItem[] {
  return items.filter((i) => i !== "contact");
}

function checkItems(items: unknown): ReferralItem[] {
  if (!Array.isArray(items) || items.length === 0) throw invalidParam(`'items' must list some of ${REFERRAL_ITEMS.join(", ")}`);
  if (!items.every((i) => isOneOf(REFERRAL_ITEMS, i)) || new Set(items).size !== items.length) {
    throw invalidParam(`'items' must list some of ${REFERRAL_ITEMS.join(", ")}, each once`);
  }
  // Always asked in the same order: what happened, the companion's words, then contact.
  return REFERRAL_ITEMS.filter((i) => items.includes(i));
}
