/**
 * What the partner view knows (docs/CONSOLE.md "Partner view"): the referrals
 * handed off to the partner's organisation (`GET me/referrals`, polled like
 * the agenda and asked again when an invite or a join arrives), this user's
 * membership of each one's room, and the unread messages there. Accepting is
 * joining the room: the referral bot records that as the partner accepting.
 * A room this user was removed from (the person withdrew) is forgotten at once.
 */
import type { PartnerReferralJson } from "@onsafe/schema/ops-api";
import { ClientEvent, RoomEvent } from "matrix-js-sdk";
import { createSignal, onCleanup, onMount } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { onRoomChanges } from "../../matrix/room-changes.ts";
import { unreadCount } from "../../matrix/room-view.ts";
import type { StaffSession } from "../shell/staff-session.ts";

const REFRESH_MS = 5000;

export type PartnerReferrals = ReturnType<typeof createPartnerReferrals>;

export function createPartnerReferrals(session: StaffSession) {
  const client = session.client;
  // Reconciled by id, so a focused button survives each refresh.
  const [state, setState] = createStore<{ referrals: PartnerReferralJson[] }>({ referrals: [] });
  const [loaded, setLoaded] = createSignal(false);
  const [unreachable, setUnreachable] = createSignal(false);
  const [rooms, setRooms] = createSignal<Record<string, { membership: string; unread: number }>>({});
  const forgetting = new Set<string>();

  const refresh = async () => {
    try {
      setState("referrals", reconcile(await session.ops.handedOffReferrals(), { key: "id" }));
      setLoaded(true);
      setUnreachable(false);
    } catch {
      setUnreachable(true);
    }
  };
  const readRooms = () => {
    const next: Record<string, { membership: string; unread: number }> = {};
    for (const room of client.getRooms()) {
      const membership = room.getMyMembership();
      if (membership === "leave" || membership === "ban") {
        // Removed after a withdrawal: nothing of the room stays on this screen or in the client's store.
        if (!forgetting.has(room.roomId)) {
          forgetting.add(room.roomId);
          void client.forget(room.roomId, true).catch(() => undefined).finally(() => { forgetting.delete(room.roomId); readRooms(); });
        }
        continue;
      }
      next[room.roomId] = { membership, unread: membership === "join" ? unreadCount(room, session.login.userId) : 0 };
    }
    setRooms(next);
  };
  // An invite (a new hand-off), a join (accepted) or a removal (withdrawn): ask the ops API at once.
  const onMembership = () => {
    readRooms();
    void refresh();
  };

  onMount(() => {
    readRooms();
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    client.on(ClientEvent.Room, readRooms);
    client.on(RoomEvent.MyMembership, onMembership);
    const stopWatching = onRoomChanges(client, readRooms);
    onCleanup(() => {
      clearInterval(timer);
      client.off(ClientEvent.Room, readRooms);
      client.off(RoomEvent.MyMembership, onMembership);
      stopWatching();
    });
  });

  const membership = (r: PartnerReferralJson) => (r.room_id ? rooms()[r.room_id]?.membership ?? null : null);

  return {
    referrals: () => state.referrals,
    loaded,
    unreachable,
    /** Joined: the chat can be opened. */
    joined: (r: PartnerReferralJson) => membership(r) === "join",
    /** Handed off and not yet joined by this user (the invite may still be on its way). */
    acceptable: (r: PartnerReferralJson) => r.room_id !== null && membership(r) !== "join",
    unread: (r: PartnerReferralJson) => (r.room_id ? rooms()[r.room_id]?.unread ?? 0 : 0),
    /** Joins the referral's room once the bot's invite has reached this client. */
    async accept(r: PartnerReferralJson): Promise<void> {
      if (!r.room_id) return;
      await session.joinWhenInvited(r.room_id);
      readRooms();
      await refresh();
    },
  };
}
