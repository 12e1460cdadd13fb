/**
 * On first start, a demo companion account so an operator can log in to the
 * console straight away; its password is printed once and stored only hashed.
 */
import { DEMO_COMPANION } from "@onsafe/schema";
import type { Homeserver } from "./homeserver.ts";
import { randomAlnum } from "@onsafe/matrix-basics";

/** Creates the demo companion if the server has none; returns its login the first time only. */
export async function ensureDemoCompanion(hs: Homeserver): Promise<{ userId: string; password: string } | undefined> {
  const userId = hs.accounts.userId(DEMO_COMPANION);
  if (hs.accounts.getUser(userId)) return undefined;
  const password = `${randomAlnum(4)}-${randomAlnum(4)}-${randomAlnum(4)}`;
  await hs.accounts.createUser({ localpart: DEMO_COMPANION, kind: "companion", password, displayname: "Demo companion" });
  return { userId, password };
}
