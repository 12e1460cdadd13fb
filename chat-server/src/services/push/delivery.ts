/**
 * Push delivery (docs/CRISIS.md "Push"): after each commit, the new room
 * events are weighed against the spec's default push rules for each joined
 * member other than the sender, and for the invitee of an invite, who has a
 * pusher; on `notify` each of that person's pushers gets the push gateway
 * request in its `event_id_only` shape: ids, priority and the pusher's own
 * data, never content, sender, room name or counts.
 *
 * A commit only notes its range of positions here; the events are read and
 * weighed on a later turn of the event loop, so a send is answered without
 * waiting for any of it. When nobody present in the commit's rooms may have a
 * pusher (everyone, while no console has asked for pages), a commit costs a
 * few set lookups.
 */
import type { Store } from "../../storage/database.ts";
import { PushersStore } from "../../storage/pushers.ts";
import { defaultPushRules } from "../default-push-rules.ts";
import type { Memberships } from "../memberships.ts";
import type { PowerLevels } from "../power-levels.ts";
import type { Pushers } from "../pushers.ts";
import type { GatewayQueue } from "./gateway-queue.ts";
import { evaluate, type PushContext, type PushEvent } from "./rules.ts";
import { internalErrorLogLine, type JsonObject } from "@onsafe/matrix-basics";

interface Range {
  after: number;
  upTo: number;
  roomIds: string[];
}

type EventRow = ReturnType<PushersStore["eventsIn"]>[number];

export class PushDelivery {
  private readonly rows: PushersStore;
  /** The last position whose events were noted. */
  private seen: number;
  private readonly ranges: Range[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    store: Store,
    private readonly pushers: Pushers,
    private readonly memberships: Memberships,
    private readonly powerLevels: (roomId: string) => PowerLevels,
    private readonly gateway: GatewayQueue,
    current: number,
  ) {
    this.rows = new PushersStore(store);
    this.seen = current;
  }

  /** From the writer, after a commit and before its requests are answered: notes what to look at, nothing more. */
  committed(woken: ReadonlySet<string>, roomIds: ReadonlySet<string>, position: number): void {
    const after = this.seen;
    this.seen = position;
    if (this.closed || !this.pushers.any || roomIds.size === 0 || !someMayHave(this.pushers, woken)) return;
    this.ranges.push({ after, upTo: position, roomIds: [...roomIds] });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  /** Stops: nothing noted is weighed any more (the store is about to close). */
  close(): void {
    this.closed = true;
    this.ranges.length = 0;
  }

  private run(): void {
    this.scheduled = false;
    if (this.closed) return;
    try {
      for (const { after, upTo, roomIds } of this.ranges.splice(0)) {
        for (const row of this.rows.eventsIn(roomIds, after, upTo)) this.weigh(row);
      }
    } catch (error) {
      // A page missed is bad; the server going down with it would be worse.
      console.error("push delivery:", internalErrorLogLine(error));
    }
  }

  private weigh(row: EventRow): void {
    const joined = this.memberships.membersOf(row.room_id, ["join"]);
    const content = JSON.parse(row.content) as JsonObject;
    const recipients = new Set(joined);
    if (row.type === "m.room.member" && row.state_key && content.membership === "invite") recipients.add(row.state_key);
    recipients.delete(row.sender);
    const event: PushEvent = { type: row.type, sender: row.sender, room_id: row.room_id, content, ...(row.state_key !== null ? { state_key: row.state_key } : {}) };
    let levels: PowerLevels | undefined;
    const context: PushContext = {
      memberCount: joined.length,
      senderMayNotify: (key) => {
        levels ??= this.powerLevels(row.room_id);
        return levels.userLevel(row.sender) >= levels.notificationLevel(key);
      },
    };
    for (const userId of recipients) {
      if (!this.pushers.mayHave(userId)) continue;
      const decision = evaluate(defaultPushRules(userId), event, context);
      if (!decision.notify) continue;
      for (const pusher of this.pushers.forDelivery(userId)) {
        const { url, ...data } = JSON.parse(pusher.data) as JsonObject & { url: string };
        const notification = {
          event_id: row.event_id,
          room_id: row.room_id,
          prio: "sound" in decision.tweaks ? "high" : "low",
          devices: [{ app_id: pusher.app_id, pushkey: pusher.pushkey, pushkey_ts: Math.floor(pusher.pushkey_ts / 1000), data, tweaks: decision.tweaks }],
        };
        this.gateway.enqueue({ url, body: JSON.stringify({ notification }), userId, appId: pusher.app_id, pushkey: pusher.pushkey });
      }
    }
  }
}

function someMayHave(pushers: Pushers, userIds: ReadonlySet<string>): boolean {
  for (const userId of userIds) if (pushers.mayHave(userId)) return true;
  return false;
}
