/**
 * Closed cases expire (DESIGN.md "Minimal data"; docs/QUEUE.md "Retention"): a
 * closed case whose last activity is older than the retention period is erased
 * from the bots database, one transaction per case, and the bots then leave and
 * forget its rooms. The sweep runs at start and on a timer; it logs counts only.
 */
import type { Clock } from "../queue/clock.ts";
import type { BotsTables } from "../storage/index.ts";

/** The Matrix side: every bot out of a room, and the room forgotten. False when a bot could not leave. */
export interface RoomExits {
  leaveAndForget(roomId: string): Promise<boolean>;
}

export interface SweepCounts {
  /** Cases erased in this sweep. */
  erased: number;
  /** Closed before the period but active since (e.g. an appointment after the closing): kept for now. */
  stillActive: number;
  /** Cases whose erasure failed (rolled back whole): tried again at the next sweep. */
  failed: number;
  /** Rooms every bot is now out of. */
  roomsLeft: number;
  /** Rooms a bot could not leave yet: tried again at the next sweep. */
  roomsPending: number;
}

export class ClosedCaseRetention {
  private running: Promise<SweepCounts> | null = null;

  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly retentionMs: number,
    private readonly exits: RoomExits,
  ) {}

  /** One sweep; a call while one runs waits for it instead of starting a second. */
  sweep(): Promise<SweepCounts> {
    this.running ??= this.run().finally(() => { this.running = null; });
    return this.running;
  }

  /** Resolves once no sweep is running (for an orderly stop). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<SweepCounts> {
    const cutoff = this.clock.now() - this.retentionMs;
    let erased = 0;
    let stillActive = 0;
    let failed = 0;
    for (const caseId of this.t.erasure.closedBefore(cutoff)) {
      try {
        if (this.eraseIfExpired(caseId, cutoff)) erased++;
        else stillActive++;
      } catch {
        // Rolled back whole; the error could name the case, so only the count is told.
        failed++;
      }
      // One case per turn of the event loop: a long backlog never holds up a victim's message.
      await new Promise((resolve) => setImmediate(resolve));
    }
    let roomsLeft = 0;
    let roomsPending = 0;
    for (const roomId of this.t.departures.all()) {
      if (await this.exits.leaveAndForget(roomId)) {
        this.t.departures.remove(roomId);
        roomsLeft++;
      } else {
        roomsPending++;
      }
    }
    // secure_delete cleans the database's pages; this also empties the write-ahead log of their
    // earlier images (the erased rows, and the rooms to leave once they are left).
    if (erased > 0 || roomsLeft > 0) this.t.db.truncateWal();
    return { erased, stillActive, failed, roomsLeft, roomsPending };
  }

  private eraseIfExpired(caseId: string, cutoff: number): boolean {
    return this.t.db.transaction(() => {
      const c = this.t.cases.byId(caseId);
      const last = this.t.erasure.lastActivity(caseId);
      if (!c || c.status !== "closed" || last === null || last >= cutoff) return false;
      // The rooms are noted before the rows naming them go, in the same commit.
      this.t.departures.add(this.t.erasure.roomsOf(caseId));
      this.t.erasure.erase(caseId);
      return true;
    });
  }
}

/** One line per sweep, counts only: never a case, room or user id. */
export function sweepLine(n: SweepCounts): string {
  return `retention: erased ${n.erased} closed cases (${n.stillActive} past the period kept as still active, ${n.failed} failed); `
    + `bots left ${n.roomsLeft} rooms (${n.roomsPending} to retry)`;
}

/** Sweeps now and then every `everyMs`; returns a function that stops it and waits for a sweep in hand. */
export function startRetentionTimer(retention: ClosedCaseRetention, everyMs: number, log: (line: string) => void = console.log): () => Promise<void> {
  const once = () => {
    retention.sweep().then(
      // A line only when there was something to do: an idle service says nothing every hour.
      (n) => { if (n.erased + n.failed + n.roomsLeft + n.roomsPending > 0) log(sweepLine(n)); },
      (error: Error) => console.error(`retention: the sweep failed: ${error.message.slice(0, 200)}`),
    );
  };
  once();
  const timer = setInterval(once, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    return retention.idle();
  };
}
