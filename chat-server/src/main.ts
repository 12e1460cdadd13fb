/** `npm start`: the homeserver with its embedded SQLite database. */
import { configFromEnv } from "./config.ts";
import { startServer } from "./server.ts";

const config = configFromEnv();
const server = await startServer(config);
console.log(`onsafe homeserver for ${config.serverName} listening on ${server.url} (data in ${config.dataDir})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
