/**
 * How fast the scheduling bot answers, with the real bots service and real
 * matrix-js-sdk clients (Rust crypto) for victims and a companion, one case
 * after another:
 *  - open: `POST cases/{id}/appointments` sent → the victim's client sees the appointments room invite;
 *  - first question: the victim's join returned → the first question decrypted on the victim's side;
 *  - answer: a tap sent → the next question decrypted (kind → times, time → place, place → address);
 *  - confirm: the address sent → the confirmation and the calendar file on the victim's side;
 *  - baseline: the companion's message → decrypted by the victim in the same appointments room (no bot in the path).
 *   node --import tsx bench/scheduling-steps.ts [cases]
 */
import { MsgType } from "matrix-js-sdk";
import { answerTriage, messages, nextPrompt, pendingInvite } from "../bots/test/conversation.ts";
import { Stack } from "../bots/test/stack.ts";

const CASES = Number(process.argv[2] ?? 10);
const HOUR = 3_600_000;

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0);
  return `p50 ${at(50)} / p95 ${at(95)} / max ${sorted.at(-1)!.toFixed(0)} ms (n=${sorted.length})`;
};

const stack = await Stack.start();
const figures = { open: [] as number[], first: [] as number[], answer: [] as number[], confirm: [] as number[], baseline: [] as number[] };
try {
  const companion = await stack.staff("bench-companion", { capacity: 50 });
  const now = Date.now();
  for (let i = 0; i < CASES; i++) {
    const starts = now + (30 + 24 * i) * HOUR;
    await stack.ops(companion.account, "POST", "/me/availability", { starts_at: starts, ends_at: starts + 2 * HOUR });
  }
  for (let i = 0; i < CASES; i++) {
    const victim = await stack.visitor();
    const counselling = await stack.startConversation(victim);
    await answerTriage(victim, counselling, stack.triageBot, [["language", "I just want to talk to someone"]]);
    await companion.waitForRoom(counselling, "invite");
    await companion.client.joinRoom(counselling);
    const caseId = stack.bots.queue.cases.getByRoom(counselling)!.id;
    await companion.waitFor(() => companion.client.getRoom(counselling)?.getMember(stack.triageBot)?.membership === "leave", "the triage bot to leave");

    let t = performance.now();
    await stack.ops(companion.account, "POST", `/cases/${caseId}/appointments`, {});
    // Polled every 2 ms rather than with waitForInvite's 50 ms, for the timing.
    while (!pendingInvite(victim, stack.schedulingBot)) await new Promise((r) => setTimeout(r, 2));
    figures.open.push(performance.now() - t);
    const room = pendingInvite(victim, stack.schedulingBot)!.roomId;

    t = performance.now();
    await victim.client.joinRoom(room);
    let prompt = await nextPrompt(victim, room, stack.schedulingBot);
    figures.first.push(performance.now() - t);

    for (const pick of [(o: { id: string }) => o.id === "counselling_visit", () => true, (o: { id: string }) => o.id === "public_place"]) {
      const option = prompt.options.find(pick)!;
      t = performance.now();
      await stack.say(victim, room, option.label, { prompt_id: prompt.id, option_id: option.id });
      prompt = await nextPrompt(victim, room, stack.schedulingBot, prompt.eventId);
      figures.answer.push(performance.now() - t);
    }
    t = performance.now();
    await stack.say(victim, room, `Bench cafe ${i}`);
    await victim.waitFor(() => messages(victim, room).some((m) => m.content.msgtype === "m.file"), "the calendar file");
    figures.confirm.push(performance.now() - t);

    await companion.waitForRoom(room, "invite");
    await companion.client.joinRoom(room);
    const body = `baseline ${i}`;
    t = performance.now();
    await companion.client.sendMessage(room, { msgtype: MsgType.Text, body });
    await victim.waitForMessage(room, body);
    figures.baseline.push(performance.now() - t);
    victim.stop();
  }
} finally {
  await stack.close();
}
console.log(`scheduling steps, ${CASES} cases one after another (${new Date().toISOString()}):`);
console.log(`  request → victim sees the appointments room invite: ${summary(figures.open)}`);
console.log(`  victim joined → first question decrypted:           ${summary(figures.first)}`);
console.log(`  tap → next question:                                ${summary(figures.answer)}`);
console.log(`  address sent → confirmation and calendar file:      ${summary(figures.confirm)}`);
console.log(`  baseline, companion message → victim (no bot):      ${summary(figures.baseline)}`);
process.exit(0);
