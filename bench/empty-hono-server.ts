/**
 * The HTTP floor of the write-throughput scenario: an empty Hono JSON handler
 * behind the same adapter and listen set-up as the homeserver (`chat-server/src/server.ts`),
 * on the send route's path. It parses the body as JSON and answers `{}`.
 * Prints "listening on PORT" once ready; stops on SIGTERM.
 *   node --import tsx bench/empty-hono-server.ts [port]
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono({ strict: false });
app.put("/_matrix/client/v3/rooms/:roomId/send/:eventType/:txnId", async (c) => {
  await c.req.json();
  return c.json({});
});

const server = createAdaptorServer({ fetch: app.fetch }) as Server;
server.listen({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1", backlog: 4096 }, () => {
  const address = server.address();
  console.log(`listening on ${typeof address === "object" && address ? address.port : ""}`);
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
