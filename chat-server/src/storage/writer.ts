/**
 * Group commit. Writes that arrive in the same turn of the event loop run in
 * one SQLite transaction (each in its own savepoint, so one failing write does
 * not undo the others); every request is answered after the commit, and the
 * notifier wakes the affected syncs only then.
 */
import type { Store } from "./database.ts";
import { MatrixError } from "@onsafe/matrix-basics";

export interface WriteContext {
  /** Allocates the next global stream position. */
  nextPos(): number;
  /** Wakes these users' waiting syncs after the commit. */
  wakeUsers(userIds: Iterable<string>): void;
  /** Wakes the syncs of everyone joined to or invited into the room after the commit. */
  wakeRoom(roomId: string): void;
}

interface PendingWrite {
  fn: (ctx: WriteContext) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  result?: unknown;
  error?: unknown;
  failed?: boolean;
}

export type WakeHandler = (userIds: Set<string>, roomIds: Set<string>, position: number) => void;

export class Writer {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  private position: number;

  constructor(private readonly store: Store, private readonly onCommit: WakeHandler) {
    const row = store.first(store.q.selectFrom("meta").select("value").where("key", "=", "stream_pos"));
    this.position = row ? Number(row.value) : 0;
  }

  /** The last committed stream position: the newest sync token. */
  get current(): number {
    return this.position;
  }

  write<T>(fn: (ctx: WriteContext) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new MatrixError(503, "M_UNKNOWN", "The server is shutting down"));
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is waiting, then refuses further writes; the store can be closed after. */
  close(): void {
    if (this.pending.length) this.flush();
    this.closed = true;
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const startPos = this.position;
    let pos = startPos;
    const users = new Set<string>();
    const rooms = new Set<string>();
    try {
      this.store.transaction(() => {
        for (const write of batch) {
          const posBefore = pos;
          const touchedUsers: string[] = [];
          const touchedRooms: string[] = [];
          const ctx: WriteContext = {
            nextPos: () => ++pos,
            wakeUsers: (ids) => { for (const id of ids) touchedUsers.push(id); },
            wakeRoom: (id) => { touchedRooms.push(id); },
          };
          try {
            write.result = this.store.transaction(() => write.fn(ctx));
            for (const id of touchedUsers) users.add(id);
            for (const id of touchedRooms) rooms.add(id);
          } catch (error) {
            // The savepoint was rolled back; give its positions back so the stream has no gaps.
            pos = posBefore;
            write.failed = true;
            write.error = error;
          }
        }
        if (pos !== startPos) {
          this.store.run(
            this.store.q.insertInto("meta").values({ key: "stream_pos", value: String(pos) })
              .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(pos) })),
          );
        }
      });
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    this.position = pos;
    if (users.size || rooms.size) this.onCommit(users, rooms, pos);
    for (const write of batch) {
      if (write.failed) write.reject(write.error);
      else write.resolve(write.result);
    }
  }
}
