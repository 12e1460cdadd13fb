/**
 * A signal that what some staff member's console should show of crisis alerts
 * may have changed: an alert's row written, or someone's shift or on-call
 * setting. The stores fire it on those writes, wherever they come from (a queue
 * transition, the ops API, the CLI in this process), so the alerts' long poll
 * (bots/src/crisis/) hears of them all. Fired inside a transaction, a listener
 * should only note the change: better-sqlite3 commits synchronously, so work it
 * defers to a promise runs after the commit.
 */
export class AlertChanges {
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fire(): void {
    for (const listener of this.listeners) listener();
  }
}
