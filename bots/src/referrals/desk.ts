/**
 * The referral desk (docs/REFERRALS.md, "Starting from any Matrix client"): a
 * companion who invites the referral bot into a case's room, from Element or
 * any other client, is asked in a private encrypted room of their own which
 * partner to offer, which items, and (if offered) the summary in their own
 * words. "Send" hands that to `Referrals.offer`, exactly as the console's
 * "Refer to a partner" does. The desk's row holds ids and the step; the
 * summary stays in the companion's encrypted message and is read back from
 * there when the offer is sent.
 */
import { type Language, type PartnerKind, REFERRAL_ITEMS, type ReferralItem } from "@onsafe/schema";
import { textBook } from "../content/text-book.ts";
import type { Clock } from "../queue/clock.ts";
import type { IncomingMessage } from "../runtime/incoming-message.ts";
import { KeyedChain } from "../runtime/keyed-chain.ts";
import { alreadyRead, markRead } from "../storage/read-mark.ts";
import type { BotsTables, CaseRow, DeskPatch, DeskStep, Partner, ReferralDesk, StaffMember } from "../storage/index.ts";
import type { OptionDef } from "../triage/bank.ts";
import { matchOption } from "../triage/match.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";
import { type Question, questionMessage } from "../triage/prompt.ts";
import { categoryWords, NO_ALIASES, YES_ALIASES } from "./messages.ts";
import { MAX_SUMMARY_LENGTH, type Referrals } from "./referral-flow.ts";
import { forbidden, MatrixError } from "@onsafe/matrix-basics";

type Bilingual = Record<Language, string>;
const book = textBook<{ kinds: Record<PartnerKind, Bilingual> }>("referral-desk.json");
export const deskSay = book.say;

const YES = book.option("yes", YES_ALIASES);
const NO = book.option("no", NO_ALIASES);
const CANCEL = book.option("cancel", ["취소", "cancel"]);
const SEND = book.option("send", ["보내기", "보내", "send"]);

/** The Matrix side, implemented by the referral bot. */
export interface DeskRooms {
  /** Creates the desk room with the staff member alone (encrypted, direct); returns its id. */
  create(staffId: string): Promise<string>;
  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]>;
  /** The body of a message in the room, decrypted; null if it cannot be read. */
  textOf(roomId: string, eventId: string): Promise<string | null>;
}

export class ReferralDesks {
  /** One step at a time per case (the desk's own chain: `Referrals.offer` runs on the referrals' chain). */
  private readonly order = new KeyedChain();

  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly rooms: DeskRooms,
    private readonly referrals: Referrals,
  ) {}

  isDesk(roomId: string): boolean {
    return this.t.referralDesks.byRoom(roomId) !== undefined;
  }

  /** Brought into case `c`'s room by `staff`: their desk for the case (made on first use) starts a new conversation. */
  open(c: CaseRow, staff: StaffMember, answering: string): Promise<void> {
    return this.order.run(c.id, async () => {
      let desk = this.t.referralDesks.of(c.id, staff.userId);
      if (!desk) {
        const roomId = await this.rooms.create(staff.userId);
        this.t.referralDesks.insert({ roomId, caseId: c.id, staffId: staff.userId }, this.clock.now());
        desk = this.t.referralDesks.byRoom(roomId)!;
      }
      const next = this.save(desk, { round: desk.round + 1, step: "partner", partnerId: null, items: [], summaryEventId: null });
      await this.ask(next, `${answering} desk ${next.round}`);
    });
  }

  /** A message in a desk room: only its companion's count. */
  async onMessage(m: IncomingMessage): Promise<void> {
    const desk = this.t.referralDesks.byRoom(m.roomId);
    if (!desk || m.sender !== desk.staffId) return;
    await this.order.run(desk.caseId, () => this.handle(m));
  }

  private async handle(m: IncomingMessage): Promise<void> {
    const desk = this.t.referralDesks.byRoom(m.roomId)!;
    if (alreadyRead(desk.read, m.ts, m.eventId) || desk.step === "idle") return;
    const read = markRead(desk.read, m.ts, m.eventId);
    const question = this.question(desk);
    if (m.answer && m.answer.prompt_id !== question.id) {
      // A button of an earlier question or conversation: ask the open one again.
      await this.ask(this.save(desk, { read }), m.eventId);
      return;
    }
    // While the summary is awaited, typed words are the summary: only the button cancels.
    const typed = desk.step === "summary_text" ? undefined : matchOption(question, m.body)?.id;
    const picked = m.answer ? question.options.find((o) => o.id === m.answer!.option_id)?.id : typed;
    if (picked === CANCEL.id) {
      this.save(desk, { step: "idle", read });
      await this.say(desk, m.eventId, "cancelled");
      return;
    }
    if (desk.step === "summary_text" && !picked) {
      if (m.body.length > MAX_SUMMARY_LENGTH) {
        this.save(desk, { read });
        await this.say(desk, m.eventId, "summary_too_long", { length: m.body.length });
        return;
      }
      const step = this.afterSummary(desk);
      if (step === "confirm" && desk.items.length === 0) {
        this.save(desk, { step: "idle", read });
        await this.say(desk, m.eventId, "nothing_chosen");
        return;
      }
      await this.ask(this.save(desk, { step, summaryEventId: m.eventId, read }), m.eventId);
      return;
    }
    if (!picked) {
      this.save(desk, { read });
      await this.say(desk, m.eventId, "not_understood");
      return;
    }
    if (desk.step === "partner") {
      await this.ask(this.save(desk, { step: "category", partnerId: picked, read }), m.eventId);
    } else if (desk.step === "confirm") {
      // The answer is marked read before the offer goes out: after a crash, a "Send" is never sent twice.
      await this.send(this.save(desk, { step: "idle", read }), m.eventId);
    } else if (isItem(desk.step)) {
      const items = picked === YES.id ? [...desk.items, desk.step] : desk.items;
      const next: DeskStep = desk.step === "category" ? "summary" : desk.step === "summary" ? (picked === YES.id ? "summary_text" : this.afterSummary(desk)) : "confirm";
      if (next === "confirm" && items.length === 0) {
        this.save(desk, { step: "idle", items, read });
        await this.say(desk, m.eventId, "nothing_chosen");
        return;
      }
      await this.ask(this.save(desk, { step: next, items, read }), m.eventId);
    }
  }

  private async send(desk: ReferralDesk, answering: string): Promise<void> {
    const staff = this.t.staff.get(desk.staffId);
    const summary = desk.items.includes("summary") && desk.summaryEventId ? await this.rooms.textOf(desk.roomId, desk.summaryEventId) : undefined;
    if (summary === null) {
      await this.ask(this.save(desk, { step: "summary_text" }), `${answering} unreadable`, "unreadable_summary");
      return;
    }
    try {
      if (!staff) throw forbidden("You are not in the staff directory");
      const referral = await this.referrals.offer(desk.caseId, staff, desk.partnerId ?? "", desk.items, summary);
      await this.say(desk, answering, "sent", { id: referral.id });
    } catch (error) {
      if (!(error instanceof MatrixError)) throw error;
      await this.say(desk, answering, "not_sent", { reason: error.message });
    }
  }

  /** The open step's question as a message. */
  private async ask(desk: ReferralDesk, answering: string, before?: string): Promise<void> {
    const lang = this.lang(desk);
    const c = this.t.cases.byId(desk.caseId);
    const partner = desk.partnerId ? this.t.partners.byId(desk.partnerId) : undefined;
    const values = { case: desk.caseId, partner: partner?.name[lang] ?? "", category: categoryWords(c?.category ?? null, lang) };
    let text: string;
    if (desk.step === "partner") {
      if (this.t.partners.active().length === 0) {
        this.save(desk, { step: "idle" });
        await this.say(desk, answering, "no_partners", values);
        return;
      }
      text = deskSay(lang, "partner", values);
    } else if (desk.step === "confirm") {
      const summary = desk.items.includes("summary") && desk.summaryEventId ? await this.rooms.textOf(desk.roomId, desk.summaryEventId) : null;
      const items = desk.items.map((i) => deskSay(lang, `items.${i}`)).join(", ");
      text = deskSay(lang, "confirm", { ...values, items }) + (summary ? deskSay(lang, "confirm_summary", { summary }) : "")
        + (partner && !hasAccounts(partner) ? deskSay(lang, "confirm_letter", values) : "");
    } else if (desk.step === "idle") {
      return;
    } else {
      text = deskSay(lang, desk.step === "summary_text" ? "summary_text" : `item.${desk.step}`, values);
    }
    if (before) text = `${deskSay(lang, before)}\n\n${text}`;
    await this.rooms.send(desk.roomId, [questionMessage(this.question(desk), text, lang)], `${answering} ask ${desk.step}`);
  }

  /**
   * After the summary: contact in a chat is offered only for a partner with accounts here. For a letter-only
   * partner nobody could write to the victim, so it is never offered (issue 19): the victim gets a letter.
   */
  private afterSummary(desk: ReferralDesk): DeskStep {
    const partner = desk.partnerId ? this.t.partners.byId(desk.partnerId) : undefined;
    return partner && hasAccounts(partner) ? "contact" : "confirm";
  }

  private question(desk: ReferralDesk): Question {
    const id = `desk.${desk.caseId}.${desk.round}.${desk.step}`;
    if (desk.step === "partner") return { id, options: [...this.t.partners.active().map(partnerOption), CANCEL] };
    if (desk.step === "confirm") return { id, options: [SEND, CANCEL] };
    if (desk.step === "summary_text") return { id, options: [CANCEL] };
    return { id, options: [YES, NO, CANCEL] };
  }

  private async say(desk: ReferralDesk, answering: string, key: string, values: Record<string, string | number> = {}): Promise<void> {
    await this.rooms.send(desk.roomId, [notice(deskSay(this.lang(desk), key, values))], `${answering} ${key}`);
  }

  private save(desk: ReferralDesk, patch: DeskPatch): ReferralDesk {
    this.t.referralDesks.update(desk.roomId, patch, this.clock.now());
    return this.t.referralDesks.byRoom(desk.roomId)!;
  }

  /** The companion's first language, if the desk speaks it. */
  private lang(desk: ReferralDesk): Language {
    const first = this.t.staff.get(desk.staffId)?.languages[0];
    return first === "en" ? "en" : "ko";
  }
}

function partnerOption(p: Partner): OptionDef {
  const label = (lang: Language) => deskSay(lang, "partner_option", { name: p.name[lang], kind: book.data.kinds[p.kind][lang], region: p.region });
  return { id: p.id, label: { ko: label("ko"), en: label("en") }, aliases: [p.name.ko, p.name.en] };
}

function hasAccounts(p: Partner): boolean {
  return p.staffIds.length > 0;
}

function isItem(step: DeskStep): step is ReferralItem {
  return (REFERRAL_ITEMS as readonly string[]).includes(step);
}
