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
 * `timeoutMs` with 408 (the connection is closed: closeIfBodyUnread). A
 * streamed body is only checked against its Content-Length here: its handler
 * reads it with `streamedBody` and counts it.
 */
export function limitBody(maxSize: (path: string) => number, streamed: (path: string) => boolean, timeoutMs: number): MiddlewareHandler {
  return async (c, next) => {
    const max = maxSize(c.req.path);
    const incoming = nodeRequest(c);
    if (!incoming) {
      return bodyLimit({ maxSize: max, onError: () => { throw tooLarge(`Request body over ${max} bytes`); } })(c, next);
    }
    if (Number(incoming.headers["content-length"] ?? 0) > max) throw tooLarge(`Request body over ${max} bytes`);
    // The handler reads it as it arrives (streamedBody), counting the bytes itself.
    if (streamed(c.req.path)) return next();
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

/**
 * The body as it arrives, chunk by chunk, never whole (media uploads). It may
 * take `graceMs`, plus one second for each `minBytesPerSecond` bytes received:
 * a body that falls behind that pace gets 408 (the connection is closed:
 * closeIfBodyUnread), one at a steady rate above it may take as long as it
 * needs. A client gone before the end throws (errorResponse: clientLeftMidBody).
 */
export async function* streamedBody(c: Context, graceMs: number, minBytesPerSecond: number): AsyncGenerator<Uint8Array> {
  const incoming = nodeRequest(c);
  if (!incoming) {
    // app.request in a test: Hono's body, under bodyLimit.
    const reader = c.req.raw.body?.getReader();
    for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) yield next.value;
    return;
  }
  const start = Date.now();
  let received = 0;
  const deadline = () => start + graceMs + (received * 1000) / minBytesPerSecond;
  let tooSlow: MatrixError | undefined;
  // The wait for the current chunk: rejected at once if the pace is missed. One per chunk, never
  // a long-lived promise raced against each read: that would keep every chunk read until the end.
  let giveUp: ((error: Error) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = deadline() - Date.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    tooSlow = new MatrixError(408, "M_UNKNOWN", `Upload slower than ${minBytesPerSecond} bytes a second`);
    giveUp?.(tooSlow);
  };
  check();
  // Not destroyed when we stop early: the refusal is still to be sent on this connection.
  const chunks = incoming.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (tooSlow) throw tooSlow;
      const next = await new Promise<IteratorResult<Buffer>>((resolve, reject) => {
        giveUp = reject;
        // If the pace was missed first, this may still fail later (the connection closed): nobody waits for it then.
        chunks.next().then(resolve, reject);
      });
      giveUp = undefined;
      if (next.done) break;
      received += next.value.length;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
  }
  if (!incoming.complete) throw new Error("request body cut off");
}

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
