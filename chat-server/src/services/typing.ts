/**
 * Typing notifications: ephemeral, in memory only. A serial separate from the
 * stream position (the second half of the sync token) tells a sync which
 * rooms' typing changed since it last looked.
 */
interface RoomTyping {
  users: Map<string, number>;
  serial: number;
}

export class Typing {
  private serialCounter = 0;
  private readonly rooms = new Map<string, RoomTyping>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly onChange: (roomId: string) => void, private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.expire(), 5_000);
    this.sweeper.unref();
  }

  get serial(): number {
    return this.serialCounter;
  }

  set(roomId: string, userId: string, typing: boolean, timeoutMs: number): void {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = { users: new Map(), serial: 0 }));
    const wasTyping = room.users.has(userId);
    if (typing) room.users.set(userId, this.now() + Math.min(timeoutMs, 120_000));
    else room.users.delete(userId);
    if (wasTyping !== typing) this.changed(roomId, room);
  }

  /** Users typing in the room, if it changed after `since` (or always when `since` is undefined). */
  changedSince(roomId: string, since: number | undefined): string[] | undefined {
    const room = this.rooms.get(roomId);
    if (!room) return since === undefined ? [] : undefined;
    if (since !== undefined && room.serial <= since) return undefined;
    return [...room.users.keys()];
  }

  /** Rooms whose typing changed after serial `since`. */
  roomsChangedSince(since: number): string[] {
    const changed: string[] = [];
    for (const [roomId, room] of this.rooms) if (room.serial > since) changed.push(roomId);
    return changed;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private changed(roomId: string, room: RoomTyping): void {
    room.serial = ++this.serialCounter;
    this.onChange(roomId);
  }

  private expire(): void {
    const now = this.now();
    for (const [roomId, room] of this.rooms) {
      let changed = false;
      for (const [userId, until] of room.users) if (until <= now) { room.users.delete(userId); changed = true; }
      if (changed) this.changed(roomId, room);
      if (room.users.size === 0 && !changed) this.rooms.delete(roomId);
    }
  }
}
