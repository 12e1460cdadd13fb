/**
 * Tasks run one at a time per key (a room, a case), in the order given; keys
 * run independently. A failing task rejects its own promise only: the next
 * task of the key still runs.
 */
export class KeyedChain {
  private readonly chains = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(key) ?? Promise.resolve()).then(task);
    const settled = result.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => { if (this.chains.get(key) === settled) this.chains.delete(key); });
    return result;
  }

  /** Resolves when every key's tasks are done. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }
}
