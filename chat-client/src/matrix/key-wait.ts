/**
 * How long the chat says "still opening this message" for one it cannot
 * decrypt yet, before it says the message can't be read on this device. Keys
 * come after their messages often enough: from the sender's device a moment
 * later, or from the backup after a recovery code; the SDK decrypts again when
 * they do. The bots wait as long for a victim's keys (`keyWaitMs`).
 */
export const KEY_WAIT_MS = 30_000;

/** When this view first saw each message it could not decrypt. */
export class KeyWait {
  private readonly since = new Map<string, number>();

  /** Whether the keys of `id`, undecryptable now, may still come (`now` in ms). */
  opening(id: string, now: number): boolean {
    const first = this.since.get(id) ?? now;
    this.since.set(id, first);
    return now - first < KEY_WAIT_MS;
  }

  /** In how many ms the next wait ends, to look again then; null when none is running. */
  nextEnd(now: number): number | null {
    const ends = [...this.since.values()].map((first) => first + KEY_WAIT_MS - now).filter((left) => left > 0);
    return ends.length > 0 ? Math.min(...ends) : null;
  }
}
