/** `npm start`: the homeserver with its embedded SQLite database. */
import { configFromEnv } from "./config.ts";
import { startServer } from "./server.ts";
import { DEMO_COMPANION } from "@onsafe/schema";
import { ensureDemoCompanion } from "./services/demo-companion.ts";

const config = configFromEnv();
const server = await startServer(config);
const demo = await ensureDemoCompanion(server.hs);
console.log(`onsafe homeserver for ${config.serverName} is running at ${server.url} (data in ${config.dataDir})`);
if (demo) {
  console.log(`Demo companion login (shown once): username ${DEMO_COMPANION}, password ${demo.password}`);
} else {
  console.log(`Demo companion: username ${DEMO_COMPANION} (password was shown on first start)`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
