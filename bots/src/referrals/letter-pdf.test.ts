import { describe, expect, it } from "vitest";
import { pdfText } from "../../../test-support/pdf-text.ts";
import { type Letter, letterPdf } from "./letter-pdf.ts";

/** 26 November 2026, noon in Seoul. */
const NOON = Date.UTC(2026, 10, 26, 3);

const korean: Letter = {
  lang: "ko", partner: "삭제지원센터", contact: "02-735-8994", hours: "평일 9–18시", date: NOON, timeZone: "Asia/Seoul",
  items: "피해 유형: 딥페이크·합성\n상담사 요약: 두 개의 포럼에 합성 이미지가 올라왔고, 다음 주에 고소장을 내려고 해요.",
};
const english: Letter = {
  ...korean, lang: "en", partner: "Deletion support centre", hours: "Mon–Fri 9–18",
  items: "Kind of harm: deepfake or edited images\nCounsellor's summary: Deepfake images on two forums; wants to file a complaint next week.",
};

const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1");

describe("the referral letter as a PDF", () => {
  it("in Korean: the partner, contact, hours, agreed items and date are real, extractable text", async () => {
    const pdf = await letterPdf(korean);
    expect(latin1(pdf.subarray(0, 5))).toBe("%PDF-");
    const { pages, info } = await pdfText(pdf);
    expect(pages).toHaveLength(1);
    for (const words of ["의뢰서", "받는 곳", "삭제지원센터", "02-735-8994", "평일 9–18시", "전달에 동의한 내용", "피해 유형: 딥페이크·합성", "다음 주에 고소장을 내려고 해요.", "2026년 11월 26일"]) {
      expect(pages[0]).toContain(words);
    }
    expect(info).toMatchObject({ Title: "의뢰서", Language: "ko-KR" });
  });

  it("in English, with the date of the service's time zone", async () => {
    // 20:00 UTC is already the next day in Seoul.
    const { pages, info } = await pdfText(await letterPdf({ ...english, date: Date.UTC(2026, 10, 26, 20) }));
    for (const words of ["Referral letter", "Deletion support centre", "02-735-8994", "Mon–Fri 9–18", "What they agreed to share", "Kind of harm: deepfake or edited images", "wants to file a complaint", "27 November 2026"]) {
      expect(pages[0]).toContain(words);
    }
    expect(info).toMatchObject({ Title: "Referral letter", Language: "en-GB" });
  });

  it("embeds the Korean font as a subset: a small file, whatever the 4.7 MB font", async () => {
    const pdf = await letterPdf(korean);
    expect(pdf.length).toBeLessThan(60_000);
    // A subset's name carries a six-letter tag: one for the regular face, one for the bold, each embedded once.
    expect(new Set(latin1(pdf).match(/\/BaseFont \/[A-Z]{6}\+NanumGothic\w*/g)).size).toBe(2);
    expect(latin1(pdf).match(/\/FontFile2 /g)).toHaveLength(2);
  });

  it("names no service: not in the text, not in the document's properties, not in the bytes", async () => {
    for (const letter of [korean, english]) {
      const pdf = await letterPdf(letter);
      const { pages, info } = await pdfText(pdf);
      expect(latin1(pdf).toLowerCase()).not.toContain("onsafe");
      expect(pages.join(" ").toLowerCase()).not.toContain("onsafe");
      expect(JSON.stringify(info).toLowerCase()).not.toContain("onsafe");
      expect(info).toMatchObject({ Producer: "PDFKit", Creator: "PDFKit" });
    }
  });

  it("a long summary runs onto a second page, all of it readable", async () => {
    const summary = `${"합성 이미지가 여러 곳에 올라왔어요. ".repeat(90)}마지막 문장이에요.`;
    const { pages } = await pdfText(await letterPdf({ ...korean, items: `상담사 요약: ${summary}` }));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.at(-1)).toContain("2026년 11월 26일");
    expect(pages.join(" ")).toContain("마지막 문장이에요.");
  });

  it("the same letter gives the same bytes", async () => {
    expect(Buffer.from(await letterPdf(korean)).equals(Buffer.from(await letterPdf(korean)))).toBe(true);
  });
});
