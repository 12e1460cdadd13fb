/**
 * The referral letter as a PDF (docs/REFERRALS.md): what the victim carries to
 * a partner without an account: the partner, its contact and hours, only the
 * items they agreed to, and the date, in the case's language. A4, as many
 * pages as the summary needs.
 *
 * Discreet like the calendar file: whoever sees the phone or a printer queue
 * may read the file's properties, so no service name anywhere, metadata
 * included. Hangul needs an embedded font: Nanum Gothic (SIL OFL 1.1), which
 * pdfkit subsets to the glyphs used, so a letter is tens of KB, not the 4.7 MB
 * of the font file.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import type { Language } from "@onsafe/schema";
import { localDay } from "../scheduling/calendar.ts";
import { say } from "./messages.ts";

export interface Letter {
  lang: Language;
  partner: string;
  contact: string;
  hours: string;
  /** The agreed items as the text letter gives them, one per line (the summary may run over several). */
  items: string;
  /** When the letter was written; shown as the day in `timeZone`. */
  date: number;
  timeZone: string;
}

export const LETTER_FILE_NAME = "letter.pdf";

const MARGIN = 56;
const COLOURS = { text: "#1a1a1a", muted: "#555555", rule: "#bbbbbb" };

export function letterPdf(letter: Letter): Promise<Uint8Array> {
  const { lang } = letter;
  const fonts = nanumGothic();
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: lang === "ko" ? "ko-KR" : "en-GB",
    displayTitle: true,
    info: { Title: say(lang, "pdf.title"), Creator: "PDFKit", Producer: "PDFKit", CreationDate: new Date(letter.date) },
  });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const bytes = collect(doc);
  const width = doc.page.width - 2 * MARGIN;

  doc.font("bold").fontSize(22).fillColor(COLOURS.text).text(say(lang, "pdf.title"), { width });
  doc.moveDown(0.6);
  doc.font("regular").fontSize(11).fillColor(COLOURS.muted).text(say(lang, "pdf.intro", { partner: letter.partner }), { width, lineGap: 3 });
  doc.moveDown(1.2);
  for (const [label, value] of [["pdf.to", letter.partner], ["pdf.contact", letter.contact], ["pdf.hours", letter.hours]] as const) {
    field(doc, say(lang, label), value, width);
  }
  rule(doc, width);
  doc.font("bold").fontSize(13).fillColor(COLOURS.text).text(say(lang, "pdf.items"), { width });
  doc.moveDown(0.5);
  doc.font("regular").fontSize(12).text(letter.items, { width, lineGap: 4, paragraphGap: 6 });
  rule(doc, width);
  field(doc, say(lang, "pdf.date"), dateWords(letter.date, letter.timeZone, lang), width);
  doc.end();
  return bytes;
}

function field(doc: PDFKit.PDFDocument, label: string, value: string, width: number): void {
  doc.font("bold").fontSize(10).fillColor(COLOURS.muted).text(label, { width });
  doc.moveDown(0.2);
  doc.font("regular").fontSize(13).fillColor(COLOURS.text).text(value, { width, lineGap: 2 });
  doc.moveDown(0.7);
}

function rule(doc: PDFKit.PDFDocument, width: number): void {
  doc.moveDown(0.5);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  doc.moveDown(1);
}

/** "2026년 11월 26일" / "26 November 2026", written out from the local day (small ICU builds lack Korean month names). */
function dateWords(ts: number, timeZone: string, lang: Language): string {
  const [year, month, day] = localDay(ts, timeZone).split("-").map(Number);
  if (lang === "ko") return `${year}년 ${month}월 ${day}일`;
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  return `${day} ${months[month - 1]} ${year}`;
}

function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
}

let fonts: { regular: Buffer; bold: Buffer } | undefined;

/**
 * The font files, read once on first use (9 MB together; most referrals never
 * need them). Resolved as a package, so the bundled `dist/main.js` finds them
 * in node_modules as the sources do.
 */
function nanumGothic(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`@kfonts/nanum-gothic/src/${file}`));
    fonts = { regular: read("NanumGothic.ttf"), bold: read("NanumGothicBold.ttf") };
  }
  return fonts;
}
