/**
 * The bots service killed with SIGKILL at random moments (seeded; the seed is
 * logged, ONSAFE_DURABILITY_SEED repeats a run) while several victims answer
 * triage at once (issue 10). restart.test.ts shows one kill at a chosen moment;
 * here the kills land anywhere: while an answer is in flight, while the bot is
 * sending a prompt, while it is catching up after the last restart. After the
 * last restart every victim has been asked each question exactly once, their
 * case is queued with exactly their answers, and they got one queue notice.
 */
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION } from "../../chat-server/test/harness.ts";
import { seededRandom } from "../../chat-server/test/durability-run.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { botsTables, openBotsStore } from "../src/storage/index.ts";
import { useKillableBots } from "./bots-process.ts";
import { messages } from "./conversation.ts";

const VICTIMS = 5;
const MAX_KILLS = 8;
/** [prompt id, option id]: the victim types the option's label as the prompt shows it. */
const ANSWERS = [["language", "en"], ["category", "distribution"], ["images", "spread"], ["minor", "no"], ["risk_wish", "no"], ["risk_thoughts", "no"], ["risk_behaviour", "no"]] as const;
/** Long enough for the bots service to come back and catch up after a kill. */
const STEP_TIMEOUT_MS = 90_000;

describe("the bots service killed with SIGKILL at random moments during triage", () => {
  const env = useKillableBots();
  const { clients } = env;

  it("brings every victim to the queue, each question asked once and each answer counted once", async () => {
    const seed = Number(process.env.ONSAFE_DURABILITY_SEED) || Date.now() % 2 ** 31;
    console.log(`bots durability seed ${seed}`);
    const random = seededRandom(seed);
    const triageBot = `@${BOT_LOCALPARTS.triage}:${env.hs.config.serverName}`;
    const started = Date.now();

    const victims: { client: SdkClient; roomId: string }[] = [];
    for (let i = 0; i < VICTIMS; i++) {
      const client = await SdkClient.start(env.hs.url, await env.hs.registerVisitor());
      clients.push(client);
      const { room_id: roomId } = await client.client.createRoom({ invite: [triageBot], initial_state: [ENCRYPTION] });
      victims.push({ client, roomId });
    }

    const said = (v: { client: SdkClient; roomId: string }) => messages(v.client, v.roomId).filter((m) => m.sender === triageBot);
    const prompts = (v: { client: SdkClient; roomId: string }) => said(v).filter((m) => m.content["org.onsafe.prompt"]);
    let finished = 0;
    const converse = async (v: { client: SdkClient; roomId: string }, delayMs: number) => {
      // Staggered starts, so the kills find the victims at different steps.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      for (const [step, [id, optionId]] of ANSWERS.entries()) {
        await v.client.waitFor(() => prompts(v).length > step, `prompt ${step + 1} (${id})`, STEP_TIMEOUT_MS);
        const prompt = prompts(v)[step]!.content["org.onsafe.prompt"];
        expect(prompt.id).toBe(id);
        const typed = prompt.options.find((o: { id: string }) => o.id === optionId)?.label;
        if (!typed) throw new Error(`no option ${optionId} in ${JSON.stringify(prompt.options)}`);
        // A little think time, so kills also land between answers.
        await new Promise((resolve) => setTimeout(resolve, random() * 1_200));
        await v.client.sendText(v.roomId, typed);
      }
      // Nobody is on shift: the bot says so once on queueing (no queue card), and thanks after the last answer.
      await v.client.waitFor(() => said(v).some((m) => String(m.content.body).startsWith("Thank you for answering")), "the thanks after the last answer", STEP_TIMEOUT_MS);
      finished++;
    };
    let kills = 0;
    const killer = async () => {
      while (finished < VICTIMS && kills < MAX_KILLS) {
        await new Promise((resolve) => setTimeout(resolve, 300 + random() * 2_500));
        if (finished >= VICTIMS) break;
        await env.bots.kill();
        kills++;
        console.log(`kill ${kills} at ${Date.now() - started} ms (${finished}/${VICTIMS} victims through triage)`);
        await env.restart();
      }
    };
    const killing = killer();
    const outcomes = await Promise.allSettled(victims.map((v) => converse(v, random() * 10_000)));
    await killing;
    console.log(JSON.stringify({ victims: VICTIMS, kills, seconds: Math.round((Date.now() - started) / 1000) }));
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    expect(kills).toBeGreaterThan(0);

    // Let a late duplicate show itself, then check what each victim saw and what the bots stored.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const v of victims) {
      expect(prompts(v).map((m) => m.content["org.onsafe.prompt"].id)).toEqual(ANSWERS.map(([id]) => id));
      expect(said(v).filter((m) => String(m.content.body).startsWith("No counsellor is on shift right now"))).toHaveLength(1);
      expect(said(v).filter((m) => String(m.content.body).startsWith("Thank you for answering"))).toHaveLength(1);
    }
    await env.bots.kill();
    const store = await openBotsStore(env.hs.config.dataDir);
    try {
      for (const v of victims) {
        const c = botsTables(store).cases.byRoom(v.roomId);
        expect(["waiting", "offered"]).toContain(c?.status);
        expect(c).toMatchObject({ language: "en", category: "distribution", images: "spread", minor: false, risk: "none", crisis: false });
      }
    } finally {
      store.close();
    }
    await env.restart();
  }, 600_000);
});
