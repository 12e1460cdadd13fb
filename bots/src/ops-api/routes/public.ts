/** `GET public/config`: what a victim's client needs before it has an account. No token. */
import { Hono } from "hono";
import { BOT_LOCALPARTS, LANGUAGES } from "@onsafe/schema";
import type { BotsConfig } from "../../config.ts";
import type { CrisisLines } from "../../content/crisis-lines.ts";
import type { CaseService } from "../../queue/index.ts";
import { appOpening } from "../../triage/index.ts";
import type { OpsEnv } from "../env.ts";

export function publicRoutes(config: Pick<BotsConfig, "serverName" | "hours">, crisisLines: CrisisLines, cases: CaseService): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/public/config", (c) => c.json({
    triage_bot: `@${BOT_LOCALPARTS.triage}:${config.serverName}`,
    /** The victim app joins invites from this bot only: it opens the appointments room. */
    scheduling_bot: `@${BOT_LOCALPARTS.scheduling}:${config.serverName}`,
    /** And from this one: each referral has its own room. */
    referral_bot: `@${BOT_LOCALPARTS.referral}:${config.serverName}`,
    languages: LANGUAGES,
    hours: { time_zone: config.hours.timeZone, days: config.hours.days, opens: config.hours.opens, closes: config.hours.closes },
    crisis_lines: { checked_on: crisisLines.checkedOn, lines: crisisLines.lines },
    open: cases.isOpen(),
    /** What the app shows itself the moment Start is pressed (FIRST-MINUTES.md): the greeting and the first question. */
    opening: appOpening(),
  }));
  return r;
}
