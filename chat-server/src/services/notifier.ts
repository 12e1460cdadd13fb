/**
 * Wakes long-polling syncs. A sync registers a waiter for its user before it
 * reads the stream; a commit wakes only the users it concerns, so 10,000 idle
 * syncs cost nothing per message.
 */
export interface Waiter {
  /** Resolves true when woken, false on timeout or abort. */
  promise: Promise<boolean>;
  cancel(): void;
}

export class Notifier {
  private readonly waiters = new Map<string, Set<(woken: boolean) => void>>();

  wait(userId: string, timeoutMs: number, signal?: AbortSignal): Waiter {
    let settle!: (woken: boolean) => void;
    const promise = new Promise<boolean>((resolve) => { settle = resolve; });
    let set = this.waiters.get(userId);
    if (!set) this.waiters.set(userId, (set = new Set()));
    const finish = (woken: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const current = this.waiters.get(userId);
      current?.delete(finish);
      if (current?.size === 0) this.waiters.delete(userId);
      settle(woken);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener("abort", onAbort);
    set.add(finish);
    return { promise, cancel: () => finish(false) };
  }

  wake(userIds: Iterable<string>): void {
    for (const userId of userIds) {
      const set = this.waiters.get(userId);
      if (!set) continue;
      for (const finish of [...set]) finish(true);
    }
  }

  /** Number of syncs currently waiting, for tests and metrics. */
  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
