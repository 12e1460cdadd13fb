import { describe, expect, it } from "vitest";
import { chatItems, type TimelineEvent, withoutOptionList } from "./timeline.ts";

const ME = "@v-abc:localhost";
const BOT = "@onsafe-triage:localhost";
const MINA = "@mina:localhost";
let n = 0;

function ev(sender: string, content: Record<string, unknown> | null, delivery: TimelineEvent["delivery"] = "sent"): TimelineEvent {
  n += 1;
  return { id: `$e${n}`, sender, ts: n, type: "m.room.message", content, delivery };
}
const prompt = (id: string, body = `Question ${id}\n\n1. Yes\n2. No`) =>
  ev(BOT, { msgtype: "m.notice", body, "org.onsafe.prompt": { id, options: [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] } });
const answer = (promptId: string, optionId: string) => ev(ME, { msgtype: "m.text", body: optionId, "org.onsafe.answer": { prompt_id: promptId, option_id: optionId } });

describe("chatItems", () => {
  it("offers buttons only for the bot's latest prompt, until it is answered by a button", () => {
    const first = prompt("language");
    const second = prompt("category");
    let items = chatItems([first, answer("language", "en"), second], ME, null);
    expect(items.map((i) => i.kind === "prompt" && i.active)).toEqual([false, false, true]);
    expect(items[2]).toMatchObject({ kind: "prompt", body: "Question category", promptId: "category" });

    items = chatItems([first, answer("language", "en"), second, answer("category", "no")], ME, null);
    expect(items.some((i) => i.kind === "prompt" && i.active)).toBe(false);
  });

  it("keeps the buttons when the same prompt is asked again after an answer it did not understand", () => {
    const asked = prompt("images");
    const again = prompt("images", "Thanks for writing.\n\nQuestion images\n\n1. Yes\n2. No");
    const items = chatItems([asked, answer("images", "yes"), ev(ME, { msgtype: "m.text", body: "hmm" }), again], ME, null);
    expect(items.at(-1)).toMatchObject({ kind: "prompt", active: true, body: "Thanks for writing.\n\nQuestion images" });
  });

  it("keeps the buttons, next to the message box, when the place in line comes after the question", () => {
    const queue = ev(BOT, { msgtype: "m.notice", body: "You're next", "org.onsafe.queue": { position: 1, expected_wait_minutes: null } });
    const items = chatItems([prompt("risk"), queue], ME, null);
    expect(items.map((i) => i.kind === "prompt" ? `prompt ${i.active}` : i.kind)).toEqual(["queue", "prompt true"]);
  });

  it("hides the buttons once the bot says something else (typed answer to the last question)", () => {
    const items = chatItems([prompt("minor"), ev(ME, { msgtype: "m.text", body: "2" }), ev(BOT, { msgtype: "m.notice", body: "Thank you." })], ME, null);
    expect(items.some((i) => i.kind === "prompt" && i.active)).toBe(false);
  });

  it("shows the queue notice with its newest edit by the same sender, and ignores edits by others", () => {
    const notice = ev(BOT, { msgtype: "m.notice", body: "You are number 2", "org.onsafe.queue": { position: 2, expected_wait_minutes: 15 } });
    const edit = (sender: string, position: number) => ev(sender, {
      msgtype: "m.notice",
      body: "* edited",
      "m.new_content": { msgtype: "m.notice", body: `number ${position}`, "org.onsafe.queue": { position, expected_wait_minutes: null } },
      "m.relates_to": { rel_type: "m.replace", event_id: notice.id },
    });
    const items = chatItems([notice, edit(BOT, 1), edit(MINA, 5)], ME, null);
    expect(items).toEqual([{ kind: "queue", id: notice.id, position: 1, waitMinutes: null }]);
  });

  it("tells apart me, the companion and bots, marks what the companion read, and shows delivery", () => {
    const mine = ev(ME, { msgtype: "m.text", body: "hello" });
    const hers = ev(MINA, { msgtype: "m.text", body: "hi, I'm Mina" });
    const later = ev(ME, { msgtype: "m.text", body: "are you there?" });
    const failed = ev(ME, { msgtype: "m.text", body: "offline" }, "failed");
    const items = chatItems([mine, hers, later, failed], ME, mine.id);
    expect(items.map((i) => i.kind === "message" && [i.sender, i.read, i.delivery])).toEqual([
      ["me", true, "sent"],
      ["other", false, "sent"],
      ["me", false, "sent"],
      ["me", false, "failed"],
    ]);
  });

  it("shows undecryptable messages as such, and the summary as a card", () => {
    const items = chatItems([ev(MINA, null), ev(BOT, { msgtype: "m.notice", body: "Summary", "org.onsafe.triage_summary": {} })], ME, null);
    expect(items.map((i) => i.kind)).toEqual(["unreadable", "summary"]);
  });

  it("tells a message whose keys may still come from one that can't be read", () => {
    const opening = { ...ev(MINA, null), opening: true };
    expect(chatItems([opening, ev(MINA, null)], ME, null).map((i) => i.kind === "unreadable" && i.opening)).toEqual([true, false]);
  });

  it("gives a bot's call lines as buttons, and nobody else's", () => {
    const calls = [{ number: "109", label: "Suicide prevention 109" }, { number: "1366", label: "Women's emergency 1366" }];
    const items = chatItems([ev(BOT, { msgtype: "m.notice", body: "Please call now", "org.onsafe.call": calls }), ev(MINA, { msgtype: "m.text", body: "x", "org.onsafe.call": calls }), ev(BOT, { msgtype: "m.notice", body: "y", "org.onsafe.call": [{ number: "javascript:1", label: "bad" }] })], ME, null);
    expect(items.map((i) => i.kind === "message" && i.calls)).toEqual([calls, undefined, undefined]);
  });

  it("in the victim's view, ends the questions and the place in line once a counsellor joins", () => {
    const queue = ev(BOT, { msgtype: "m.notice", body: "You're next", "org.onsafe.queue": { position: 1, expected_wait_minutes: null } });
    const risk = prompt("risk");
    const joined: TimelineEvent = { id: "$join", sender: MINA, ts: 0, type: "m.room.member", content: { membership: "join" }, delivery: "sent" };
    const victim = { counsellorEndsTriage: true };
    expect(chatItems([queue, risk], ME, null, victim).map((i) => i.kind === "prompt" ? `prompt ${i.active}` : i.kind)).toEqual(["queue", "prompt true"]);
    expect(chatItems([queue, risk, joined], ME, null, victim).map((i) => i.kind === "prompt" ? `prompt ${i.active}` : i.kind)).toEqual(["prompt false"]);
    // A question asked after the counsellor came (a bot they invited) is answered as usual; a place in line posted then is stale.
    expect(chatItems([joined, queue, prompt("visit")], ME, null, victim).map((i) => i.kind === "prompt" ? `prompt ${i.active}` : i.kind)).toEqual(["prompt true"]);
    // The console keeps everything.
    expect(chatItems([queue, risk, joined], ME, null).map((i) => i.kind)).toEqual(["queue", "prompt"]);
  });

  it("shows the bot's word that the chat was closed, and a place in line after it until a counsellor comes again (issue 19)", () => {
    const calls = [{ number: "1366", label: "1366" }];
    const queue = (position: number) => ev(BOT, { msgtype: "m.notice", body: "In line", "org.onsafe.queue": { position, expected_wait_minutes: null } });
    const member = (membership: string): TimelineEvent => ({ id: `$m${(n += 1)}`, sender: MINA, ts: n, type: "m.room.member", content: { membership }, delivery: "sent" });
    const closed = ev(BOT, { msgtype: "m.notice", body: "Your counsellor has closed this chat.", "org.onsafe.call": calls, "org.onsafe.chat_closed": {} });
    const victim = { counsellorEndsTriage: true };
    const kinds = (events: TimelineEvent[]) => chatItems(events, ME, null, victim).map((i) => i.kind === "queue" ? `queue ${i.position}` : i.kind);
    const before = [queue(2), member("join"), ev(MINA, { msgtype: "m.text", body: "Take care." }), member("leave"), closed];
    expect(chatItems(before, ME, null, victim).at(-1)).toEqual({ kind: "closed", id: closed.id, calls });
    const again = [...before, ev(ME, { msgtype: "m.text", body: "one more thing" }), queue(1)];
    expect(kinds(again)).toEqual(["message", "closed", "message", "queue 1"]);
    expect(kinds([...again, member("join")])).toEqual(["message", "closed", "message"]);
    // Only from a bot: a counsellor's message with the field is a message.
    expect(chatItems([ev(MINA, { msgtype: "m.text", body: "x", "org.onsafe.chat_closed": {} })], ME, null, victim)[0]).toMatchObject({ kind: "message" });
  });
});

describe("withoutOptionList", () => {
  it("drops only a trailing numbered list", () => {
    expect(withoutOptionList("Intro\n\nQuestion?\n\n1. A\n2. B")).toBe("Intro\n\nQuestion?");
    expect(withoutOptionList("No list here\n\nJust text")).toBe("No list here\n\nJust text");
    expect(withoutOptionList("1. only a list")).toBe("1. only a list");
  });
});
