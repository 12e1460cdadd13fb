/**
 * How fast a conversation starts (issue 9, item 4), with the real bots service
 * and real matrix-js-sdk clients (Rust crypto) for victims and a companion:
 *  - start: the victim's `createRoom` returning → the first triage question
 *    decrypted on the victim's side (target 2 s);
 *  - reply: an answer sent → the next question decrypted on the victim's side;
 *  - invite: the last answer sent → the companion's client sees the invite
 *    (target 500 ms);
 *  - baseline: the companion's encrypted message → decrypted on the victim's
 *    side, in the same rooms (no bot in the path).
 * Homeserver and bots service run in this process on loopback; conversations
 * one after another.
 */
import { MsgType } from "matrix-js-sdk";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { Stack } from "../../bots/test/stack.ts";
import { type Scenario, type Section, stat } from "../harness/report.ts";

export function conversationStart(conversations = 20): Scenario {
  return {
    id: "conversation-start",
    async run(): Promise<Section> {
      const stack = await Stack.start();
      const samples = { start: [] as number[], reply: [] as number[], invite: [] as number[], baseline: [] as number[] };
      try {
        const companion = await stack.staff("bench-companion", { capacity: conversations + 5 });
        for (let i = 0; i < conversations; i++) {
          const victim = await stack.visitor();
          const roomId = await stack.startConversation(victim);
          const created = performance.now();
          const first = await nextPrompt(victim, roomId, stack.triageBot);
          samples.start.push(performance.now() - created);

          let t = performance.now();
          await stack.say(victim, roomId, "1");
          const second = await nextPrompt(victim, roomId, stack.triageBot, first.eventId);
          samples.reply.push(performance.now() - t);

          t = performance.now();
          await stack.say(victim, roomId, "skip", { prompt_id: second.id, option_id: "skip" });
          await companion.waitForRoom(roomId, "invite");
          samples.invite.push(performance.now() - t);

          await companion.client.joinRoom(roomId);
          await companion.waitFor(() => companion.client.getRoom(roomId)?.getMember(stack.triageBot)?.membership === "leave", "the bot to leave");
          const body = `baseline ${i}`;
          t = performance.now();
          await companion.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
          await victim.waitForMessage(roomId, body);
          samples.baseline.push(performance.now() - t);
          victim.stop();
        }
      } finally {
        await stack.close();
      }
      const baseline = { what: "the companion's encrypted message → decrypted by the victim, same rooms, no bot", value: stat(samples.baseline) };
      return {
        id: "conversation-start",
        title: "Conversation start with the real bots",
        method: `Homeserver and bots service in one process on loopback; ${conversations} victims one after another, each a matrix-js-sdk client with Rust crypto, through triage ("1", then "skip") to one on-shift companion (also an SDK client). Times are taken on the victim's or the companion's client: the bot's message decrypted there, or the invite seen in its sync.`,
        figures: [
          { what: "victim's `createRoom` returned → first triage question decrypted", unit: "ms", value: stat(samples.start), baseline, target: { on: "p95", max: 2000, source: "issue 9" } },
          { what: "an answer sent → the next question decrypted", unit: "ms", value: stat(samples.reply), baseline },
          { what: "last answer sent → the companion's client sees the invite", unit: "ms", value: stat(samples.invite), baseline, target: { on: "p95", max: 500, source: "issue 9" } },
        ],
      };
    },
  };
}
