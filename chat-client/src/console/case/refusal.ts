import { ct } from "../shell/ct.ts";
import { OpsError } from "../shell/ops-client.ts";

/** What the companion reads when the ops API refuses: its errcode and words as they are, or that it could not be reached. */
export function refusal(caught: unknown): string {
  return caught instanceof OpsError ? ct("schedule.refused", { errcode: caught.errcode, error: caught.message }) : ct("error.ops");
}
