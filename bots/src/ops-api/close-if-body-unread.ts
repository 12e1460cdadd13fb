/**
 * An answer given before the request's body was all read (413 by size, 401 or
 * 403 by token, before the body is parsed) says `Connection: close`. The rest
 * of the body is still on its way and the server drops the connection instead
 * of reading it, so a client that kept the connection for its next request
 * would find it closed. (The homeserver does the same: chat-server/src/http/body.ts.)
 */
import type { IncomingMessage } from "node:http";
import type { MiddlewareHandler } from "hono";

export const closeIfBodyUnread: MiddlewareHandler = async (c, next) => {
  await next();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.complete) c.header("Connection", "close");
};
