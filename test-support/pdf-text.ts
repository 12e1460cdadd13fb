/**
 * What a PDF reader shows of a PDF, for tests of the files we make: each
 * page's text as pdf.js extracts it (lines joined by spaces) and the
 * document's properties. pdf.js is a dev dependency of the bots.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfText {
  pages: string[];
  info: Record<string, unknown>;
}

export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  // A copy as a plain Uint8Array: pdf.js takes over the buffer it is given, and refuses a Node Buffer.
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " "));
    }
    return { pages, info: (await doc.getMetadata()).info as Record<string, unknown> };
  } finally {
    await doc.destroy();
  }
}
