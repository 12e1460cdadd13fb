/** The bots service on its own (`npm start` runs it beside the homeserver). */
import { DEMO_COMPANION } from "@onsafe/schema";
import { botsConfigFromEnv } from "./config.ts";
import { startBotsService } from "./service.ts";

const config = botsConfigFromEnv();
const bots = await startBotsService(config);
if (!process.env.ONSAFE_HOMESERVER_URL) {
  // Our own homeserver creates the demo companion; put it in the staff directory once.
  const userId = `@${DEMO_COMPANION}:${config.serverName}`;
  if (!bots.queue.staff.get(userId)) {
    await bots.queue.staff.addOrUpdateStaff({ userId, kind: "companion", displayName: "Demo companion", languages: ["ko", "en"] });
  }
}
console.log(`onsafe bots are running: triage bot ${bots.triageUserId}, scheduling bot ${bots.schedulingUserId}, referral bot ${bots.referralUserId}, ops API at ${bots.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void bots.close().then(() => process.exit(0));
  });
}
