/**
 * Ties the scheduling bot's messages together (docs/SCHEDULING.md): each
 * confirmation gets the `.ics` file the bot sends after it, and learns whether
 * a later message changed or cancelled it, so an old card never reads as
 * current. A new time for the same appointment keeps the address typed
 * before: the bot keeps no address, so its new confirmation has none. Pure,
 * like the rest of `timeline.ts`.
 */
import type { Attachment, ChatItem, VisitItem } from "./timeline.ts";

type Message = Extract<ChatItem, { kind: "message" }>;

export function linkVisits(items: ChatItem[]): ChatItem[] {
  if (!items.some((item) => item.kind === "visit")) return items;
  const filed = new Set<string>();
  const addresses = new Map<string, string>();
  const linked = items.map((item, index) => {
    if (item.kind !== "visit" || item.visit.stage !== "confirmed") return item;
    const later = items.slice(index + 1);
    const nextConfirmation = later.findIndex((i) => i.kind === "visit" && i.visit.stage === "confirmed");
    const file = (nextConfirmation === -1 ? later : later.slice(0, nextConfirmation)).find(isCalendarFile);
    if (file) filed.add(file.id);
    const id = item.visit.appointment_id;
    const address = item.visit.address ?? addresses.get(id) ?? null;
    if (address !== null) addresses.set(id, address);
    return { ...item, visit: { ...item.visit, address }, calendar: file?.attachment, status: statusOf(item, later) } satisfies VisitItem;
  });
  return linked.filter((item) => !filed.has(item.id));
}

function statusOf(confirmation: VisitItem, later: ChatItem[]): VisitItem["status"] {
  let status: VisitItem["status"] = "current";
  for (const item of later) {
    if (item.kind !== "visit" || item.visit.appointment_id !== confirmation.visit.appointment_id) continue;
    if (item.visit.stage === "cancelled") status = "cancelled";
    else if (item.visit.stage === "confirmed") status = "changed";
  }
  return status;
}

function isCalendarFile(item: ChatItem): item is Message & { attachment: Attachment } {
  if (item.kind !== "message" || item.sender !== "bot" || item.attachment?.kind !== "file") return false;
  return item.attachment.mimetype?.startsWith("text/calendar") === true || /\.ics$/i.test(item.body);
}
