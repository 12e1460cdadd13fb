/**
 * `/refer` typed in the composer (docs/REFERRALS.md): the console opens "Refer
 * to a partner" instead of sending it into the room. Any other text, `/referral`
 * included, is a message.
 */
export function isReferCommand(body: string): boolean {
  return /^\/refer$/i.test(body.trim());
}
