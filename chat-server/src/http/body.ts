/**
 * Request bodies, read once and under a size limit. On Node (our server) the
 * body is read straight from Node's request into `incoming.rawBody`, where
 * @hono/node-server's Request finds it too if anything asks `c.req` for the
 * body later. Hono's `bodyLimit` and `c.req.text()` would first build a WHATWG
 * Request and a stream around every body: about 15% of a `PUT send`'s CPU
 * (docs/BENCHMARKS.md, write throughput). Without Node's request (`app.request`
 * in a test) Hono's `bodyLimit` makes the same check.
 */
import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MatrixError, tooLarge } from "@onsafe/matrix-basics";

type NodeRequest = IncomingMessage & { rawBody?: Buffer };

const nodeRequest = (c: Context): NodeRequest | undefined => (c.env as { incoming?: NodeRequest } | undefined)?.incoming;

/**
 * Refuses bodies over `maxSize(path)` bytes with M_TOO_LARGE; on Node, reads the
 * body first unless `streamed(path)`, and refuses one that takes longer than
 * `timeoutMs` with 408 (the connection is closed: closeIfBodyUnread).
 */
export function limitBody(maxSize: (path: string) => number, streamed: (path: string) => boolean, timeoutMs: number): MiddlewareHandler {
  return async (c, next) => {
    const max = maxSize(c.req.path);
    const incoming = nodeRequest(c);
    if (!incoming || streamed(c.req.path)) {
      return bodyLimit({ maxSize: max, onError: () => { throw tooLarge(`Request body over ${max} bytes`); } })(c, next);
    }
    if (Number(incoming.headers["content-length"] ?? 0) > max) throw tooLarge(`Request body over ${max} bytes`);
    incoming.rawBody = await readAll(incoming, max, timeoutMs);
    await next();
  };
}

/** Whether the client closed the connection before its body was all sent (nobody reads the answer then). */
export function clientLeftMidBody(c: Context): boolean {
  const incoming = nodeRequest(c);
  return !!incoming && incoming.destroyed && !incoming.complete;
}

/**
 * An answer given before the request's body was all read (a refusal by size or
 * token, before the upload ends) says `Connection: close`. The rest of the body
 * is still on its way and the server drops the connection instead of reading
 * it, so a client that kept the connection for its next request would find it
 * closed ("other side closed") instead of being told not to reuse it.
 */
export const closeIfBodyUnread: MiddlewareHandler = async (c, next) => {
  await next();
  const incoming = nodeRequest(c);
  if (incoming && !incoming.complete) c.header("Connection", "close");
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text: the one `limitBody` read, or Hono's. Bytes that are not UTF-8 are M_NOT_JSON, not silently replaced. */
export async function bodyText(c: Context): Promise<string> {
  const raw = nodeRequest(c)?.rawBody ?? new Uint8Array(await c.req.arrayBuffer());
  try {
    return utf8.decode(raw);
  } catch {
    throw new MatrixError(400, "M_NOT_JSON", "Content not UTF-8.");
  }
}

function readAll(incoming: IncomingMessage, max: number, timeoutMs: number): Promise<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        incoming.off("data", onData);
        // The answer says Connection: close (closeIfBodyUnread): the rest is not read.
        reject(tooLarge(`Request body over ${max} bytes`));
      } else {
        chunks.push(chunk);
      }
    };
    // A body trickled in slowly would hold its buffer (up to `max`) and the connection for as long as the client likes.
    timer = setTimeout(() => {
      incoming.off("data", onData);
      reject(new MatrixError(408, "M_UNKNOWN", `Request body not received within ${timeoutMs} ms`));
    }, timeoutMs);
    incoming.on("data", onData);
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    // A client gone before the whole body came: nobody waits for the answer (errorResponse logs one quiet line).
    incoming.once("error", reject);
    incoming.once("close", () => { if (!incoming.complete) reject(new Error("request body cut off")); });
  }).finally(() => clearTimeout(timer));
}
