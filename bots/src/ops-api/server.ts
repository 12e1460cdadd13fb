/** Serves the ops API on a port (the homeserver proxies `/_onsafe/` to it). */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import type { OpsEnv } from "./env.ts";

export interface RunningOpsApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startOpsApi(app: Hono<OpsEnv>, listen: { host: string; port: number }): Promise<RunningOpsApi> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: listen.port, host: listen.host }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : listen.port;
  return {
    port,
    url: `http://${listen.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
