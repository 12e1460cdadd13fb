/**
 * Words of bot text and taps from "Start" to "in the queue", per path through
 * the triage (issue 18, item 3), in English. Runs the triage machine itself,
 * no server: `node --import tsx bench/triage-paths.ts` prints a Markdown table.
 *
 * It also runs against the code before issue 18 (a worktree of 7e8e660), so it
 * only uses what both have: `startTriage` and `handleMessage`. Before, "in the
 * queue" is the machine's `done` and the room started with the bot's greeting
 * and language question; after, it is `state.queued` and the app shows the
 * greeting and the first question from the public config (`appOpening`).
 *
 * Words: the text the victim reads, as the app shows it: a prompt's numbered
 * option list is left out (the app shows buttons), bilingual text counts whole
 * (it is on the screen). A question sent together with "you are in the queue"
 * is asked while waiting: neither it nor its words count, its intro does.
 * Questions: those shown before the queue. Taps: answer buttons pressed after
 * Start. Typed: messages the victim wrote.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const triage = fileURLToPath(new URL("../bots/src/triage/", import.meta.url));
const machine = await import(`${triage}machine.ts`);
const { promptById } = await import(`${triage}bank.ts`);
const opening = existsSync(`${triage}opening.ts`) ? (await import(`${triage}opening.ts`)).appOpening() : null;
const PROMPT = "org.onsafe.prompt";

interface Path {
  name: string;
  /** The option tapped for each prompt id, when nothing is typed. */
  taps: Record<string, string>;
  /** What the victim types instead of tapping, by question number (1 = the first question after Start). */
  typed?: Record<number, string>;
}

const NO_RISK = { risk_wish: "no", risk_thoughts: "no", risk_behaviour: "no", risk_plan: "no" };
const PATHS: Path[] = [
  { name: "hidden camera, adult, no risk", taps: { language: "en", category: "illegal_filming", images: "feared", minor: "no", ...NO_RISK } },
  { name: "sextortion due today", taps: { language: "en", category: "sextortion", images: "feared", deadline: "within_24h", minor: "no", ...NO_RISK } },
  { name: "minor, grooming", taps: { language: "en", category: "grooming", images: "feared", minor: "yes", ...NO_RISK } },
  {
    name: "crisis words typed at the second question",
    taps: { language: "en", category: "distribution", images: "spread", minor: "no", ...NO_RISK },
    typed: { 2: "i just want to die honestly. he has my nudes" },
  },
  {
    name: "\"talk to a real person\" typed first",
    // Before, the sentence was not understood: the victim then found the last button.
    taps: { language: "skip", category: "skip", ...NO_RISK },
    typed: { 1: "can i just talk to a real person please" },
  },
  { name: "skip button first", taps: { language: "skip", category: "skip" } },
];

const words = (text: string) => text.split(/\s+/).filter((w) => w !== "").length;
/** A body as the app shows it: without the numbered options, which are buttons there. */
const shown = (body: string) => body.split("\n").filter((line) => !/^\d+\. /.test(line)).join("\n");

interface Outgoing { content: Record<string, unknown> }

function run(path: Path): { questions: number; words: number; taps: number; typed: number; queued: boolean } {
  const ctx = { open: true, nextOpening: () => "Monday at 09:00 (Korea time)" };
  const start = opening ? machine.startTriage({ firstPrompt: opening.prompt.id }) : machine.startTriage();
  let state = start.state;
  let said: Outgoing[] = start.say;
  let count = opening ? words(opening.greeting.en) + words(opening.prompt.text.en) : 0;
  let questions = opening ? 1 : 0;
  let prompt: string | undefined = opening?.prompt.id;
  let taps = 0;
  let typed = 0;
  for (let turn = 0; turn < 30; turn++) {
    const queued = opening ? state.queued === true : state.step === "done";
    for (const o of said) {
      count += words(shown(String(o.content.body)));
      const field = o.content[PROMPT] as { id: string } | undefined;
      if (field && queued) count -= words(promptById(field.id).text.en);
      else if (field) {
        if (field.id !== prompt) questions += 1;
        prompt = field.id;
      }
    }
    if (queued) return { questions, words: count, taps, typed, queued };
    if (prompt === undefined) break;
    const toType = path.typed?.[questions];
    let step;
    if (toType !== undefined && !typed) {
      typed += 1;
      step = machine.handleMessage(state, { body: toType, language: "en" }, ctx);
    } else {
      const option = path.taps[prompt];
      if (option === undefined) throw new Error(`${path.name}: no answer for "${prompt}"`);
      taps += 1;
      step = machine.handleMessage(state, { body: option, answer: { prompt_id: prompt, option_id: option }, language: "en" }, ctx);
    }
    state = step.state;
    said = step.say;
  }
  return { questions, words: count, taps, typed, queued: false };
}

console.log("| path | questions before the queue | words | taps | typed |\n| --- | --- | --- | --- | --- |");
for (const path of PATHS) {
  const r = run(path);
  console.log(`| ${path.name} | ${r.questions} | ${r.words} | ${r.taps} | ${r.typed} |${r.queued ? "" : " never queued"}`);
}
