/**
 * How fast a conversation starts, with the real bots service and real
 * matrix-js-sdk clients (Rust crypto) for victims and a companion:
 *  - start: the victim's createRoom returning → the first triage question decrypted on the victim's side;
 *  - reply: an answer sent → the next question decrypted on the victim's side;
 *  - invite: the last answer sent → the companion's client sees the invite;
 *  - baseline: the companion's encrypted message → decrypted on the victim's side, in the same rooms (no bot in the path).
 * Homeserver and bots service run in this process on loopback; conversations one after another.
 *   node --import tsx bench/conversation-start.ts [conversations]
 */
import { MsgType } from "matrix-js-sdk";
import { nextPrompt } from "../bots/test/conversation.ts";
import { Stack } from "../bots/test/stack.ts";

const CONVERSATIONS = Number(process.argv[2] ?? 20);

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0);
  return `p50 ${at(50)} / p95 ${at(95)} / max ${sorted.at(-1)!.toFixed(0)} ms (n=${sorted.length})`;
};

const stack = await Stack.start();
const figures = { start: [] as number[], reply: [] as number[], invite: [] as number[], baseline: [] as number[] };
try {
  const companion = await stack.staff("bench-companion", { capacity: 50 });
  for (let i = 0; i < CONVERSATIONS; i++) {
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const created = performance.now();
    const first = await nextPrompt(victim, roomId, stack.triageBot);
    figures.start.push(performance.now() - created);

    let t = performance.now();
    await stack.say(victim, roomId, "1");
    const second = await nextPrompt(victim, roomId, stack.triageBot, first.eventId);
    figures.reply.push(performance.now() - t);

    t = performance.now();
    await stack.say(victim, roomId, "skip", { prompt_id: second.id, option_id: "skip" });
    await companion.waitForRoom(roomId, "invite");
    figures.invite.push(performance.now() - t);

    await companion.client.joinRoom(roomId);
    await companion.waitFor(() => companion.client.getRoom(roomId)?.getMember(stack.triageBot)?.membership === "leave", "the bot to leave");
    const body = `baseline ${i}`;
    t = performance.now();
    await companion.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
    await victim.waitForMessage(roomId, body);
    figures.baseline.push(performance.now() - t);
    victim.stop();
  }
} finally {
  await stack.close();
}
console.log(`conversation start, ${CONVERSATIONS} conversations one after another (${new Date().toISOString()}):`);
console.log(`  createRoom → first question on the victim's screen: ${summary(figures.start)}`);
console.log(`  answer → next question:                           ${summary(figures.reply)}`);
console.log(`  last answer → companion's invite:                 ${summary(figures.invite)}`);
console.log(`  baseline, companion message → victim (no bot):    ${summary(figures.baseline)}`);
process.exit(0);
