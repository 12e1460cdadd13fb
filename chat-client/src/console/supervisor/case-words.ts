/** How the supervisor view names a case behind the figures: where it is, and for how long. Ids and kinds only. */
import type { MetricsCaseJson } from "@onsafe/schema/ops-api";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { st } from "./supervisor-strings.ts";

export type NameOf = (userId: string) => string;

const minutes = (ms: number) => Math.floor(ms / 60_000);

export const categoryWords = (c: MetricsCaseJson) => ct(`category.${c.category ?? "unknown"}` as ConsoleKey);

/** "In triage", "Waiting (not offered yet)", "Offered to Mina", "With Mina · transfer offered to Jun". */
export function whereWords(c: MetricsCaseJson, name: NameOf): string {
  if (c.status === "triage") return st("cases.inTriage");
  if (c.status === "assigned" && c.companion_id) {
    const withWhom = st("cases.with", { name: name(c.companion_id) });
    return c.transfer_to ? `${withWhom} · ${st("cases.transferTo", { name: name(c.transfer_to) })}` : withWhom;
  }
  return c.companion_id ? st("cases.offeredTo", { name: name(c.companion_id) }) : st("cases.waiting");
}

/** The time that matters where the case is: waiting in the queue, with its companion, or since it opened. */
export function timeWords(c: MetricsCaseJson): string {
  if (c.waiting_ms !== null) return st("cases.waitingFor", { minutes: minutes(c.waiting_ms) });
  if (c.with_companion_ms !== null) return st("cases.withFor", { minutes: minutes(c.with_companion_ms) });
  return st("cases.openedFor", { minutes: minutes(c.opened_ms) });
}
