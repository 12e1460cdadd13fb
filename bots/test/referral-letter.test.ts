/**
 * The referral letter end to end (docs/REFERRALS.md): a partner with no staff
 * accounts, so the victim gets a letter to carry, as text and as a PDF. Our
 * homeserver, the bots service and real matrix-js-sdk clients with encryption.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadAttachment } from "../../test-support/encrypted-attachment.ts";
import { pdfText } from "../../test-support/pdf-text.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { messages, nextPrompt, waitForInvite, waitForText } from "./conversation.ts";
import { addPartner, caseTakenBy } from "./referral-steps.ts";
import { Stack } from "./stack.ts";

const SUMMARY = "합성 이미지 두 건, 다음 주 고소 예정";
const CONTACT = "02-735-8994";

let stack: Stack;
let mina: SdkClient;
let victim: SdkClient;
let caseId: string;
let deletion: string;

beforeAll(async () => {
  stack = await Stack.start();
  mina = await stack.staff("mina");
  const boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  deletion = await addPartner(stack, boss, {
    kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, about: { ko: "불법 촬영물 삭제 지원", en: "Takes images down" },
    languages: ["ko"], hours: "평일 9–18시", contact: CONTACT,
  });
  // "Just talk to someone", typed in Korean: a Korean case without a category.
  ({ victim, caseId } = await caseTakenBy(stack, mina, "그냥 상담사와 이야기하고 싶어요"));
}, 90_000);
afterAll(async () => { await stack?.close(); });

describe("a referral letter for a partner without an account", () => {
  let room: string;
  let pdf: Buffer;
  let ciphertext: Buffer;

  it("the victim agrees to the summary, not the kind of harm: the letter comes as text, then as an encrypted PDF", async () => {
    // Contact in a chat cannot be offered: nobody from a partner without an account could write there (issue 19).
    const refused = await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: deletion, items: ["category", "summary", "contact"], summary: SUMMARY });
    expect(refused.status).toBe(400);
    expect(refused.body.errcode).toBe("M_INVALID_PARAM");
    await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: deletion, items: ["category", "summary"], summary: SUMMARY });
    room = await waitForInvite(victim, stack.referralBot);
    await victim.client.joinRoom(room);
    let after: string | undefined;
    for (const choice of ["no", "yes"]) {
      const prompt = await nextPrompt(victim, room, stack.referralBot, after);
      const option = prompt.options.find((o) => o.id === choice)!;
      await stack.say(victim, room, option.label, { prompt_id: prompt.id, option_id: choice });
      after = prompt.eventId;
    }
    const letter = await waitForText(victim, room, stack.referralBot, "의뢰서");
    expect(letter["org.onsafe.referral"]).toMatchObject({ stage: "letter", items: ["summary"], status: "letter_given" });
    expect(letter.body).toContain(SUMMARY);

    await victim.waitFor(() => messages(victim, room).some((m) => m.content.msgtype === "m.file"), "the letter's PDF");
    const all = messages(victim, room).filter((m) => m.sender === stack.referralBot);
    const fileIndex = all.findIndex((m) => m.content.msgtype === "m.file");
    // Right after the text letter, and marked as the same referral's letter.
    expect(all[fileIndex - 1].content.body).toBe(letter.body);
    const file = all[fileIndex].content;
    expect(file).toMatchObject({ body: "letter.pdf", info: { mimetype: "application/pdf" } });
    expect(file["org.onsafe.referral"]).toEqual({ stage: "letter", referral_id: letter["org.onsafe.referral"].referral_id, partner_id: deletion, items: ["summary"] });
    expect(file.url).toBeUndefined();

    pdf = await downloadAttachment(stack.hs.url, victim.account.token, file.file);
    const media = await fetch(`${stack.hs.url}/_matrix/client/v1/media/download/${file.file.url.slice("mxc://".length)}`, { headers: { authorization: `Bearer ${victim.account.token}` } });
    ciphertext = Buffer.from(await media.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBe(file.info.size);
    const { pages, info } = await pdfText(pdf);
    const text = pages.join(" ");
    for (const words of ["의뢰서", "삭제지원센터", CONTACT, "평일 9–18시", `상담사 요약: ${SUMMARY}`]) expect(text).toContain(words);
    expect(text).not.toContain("암호화된 대화방");
    // The kind of harm was refused: it is not in the letter.
    expect(text).not.toContain("피해 유형");
    expect(info.Title).toBe("의뢰서");
    expect(text.toLowerCase()).not.toContain("onsafe");
    expect((await stack.ops(mina.account, "GET", `/cases/${caseId}/referrals`)).body.referrals.at(-1)).toMatchObject({ status: "letter_given", items_consented: ["summary"], accepted_at: null });
  });

  it("neither the summary nor the PDF is in any file of the data directory (the media repository holds only ciphertext)", async () => {
    // A piece of the PDF past its header: the compressed page and font streams.
    const middle = Math.floor(pdf.length / 2);
    const piece = pdf.subarray(middle, middle + 64);
    const stored: string[] = [];
    for (const name of readdirSync(stack.config.dataDir, { recursive: true }) as string[]) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(stack.config.dataDir, name)); } catch { continue; }
      expect(bytes.includes(Buffer.from(SUMMARY)), `the summary in ${name}`).toBe(false);
      expect(bytes.includes(Buffer.from("%PDF-")), `a PDF in ${name}`).toBe(false);
      expect(bytes.includes(piece), `the PDF's bytes in ${name}`).toBe(false);
      if (bytes.includes(ciphertext.subarray(middle, middle + 64))) stored.push(name);
    }
    // The control: the same scan finds the encrypted file where the homeserver keeps media.
    expect(stored).not.toEqual([]);
  });
});
