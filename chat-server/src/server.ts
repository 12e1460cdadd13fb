/** Starts the homeserver on a port; used by `main.ts` and by the tests. */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { Homeserver } from "./services/homeserver.ts";

const LISTEN_BACKLOG = 4096;

export interface RunningServer {
  hs: Homeserver;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const hs = await Homeserver.open(config);
  const app = createApp(hs);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Node's default backlog (511) drops connects when thousands of clients arrive at once; the kernel caps this.
    server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  // Long-polls may wait 30 s; keep idle keep-alive sockets a little longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Node's limit on receiving a whole request (300 s) would cut off a 50 MiB upload
  // slower than 175 KiB/s: bodies have their own limits (http/body.ts), so this only
  // backs up the slowest upload they allow.
  server.requestTimeout = config.bodyTimeoutMs + Math.ceil((config.maxUploadBytes * 1000) / config.uploadMinBytesPerSecond) + 60_000;
  hs.retention.start();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  return {
    hs,
    port,
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await hs.retention.stop();
      hs.close();
    },
  };
}
