/**
 * Hands a file made in memory (a decrypted attachment, the letter's text) to
 * the browser as a download. The blob URL is let go at once: nothing stays in
 * the page or in browser storage.
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
