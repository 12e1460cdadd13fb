/** Free loopback ports for the benchmarks' child processes. */
import { createServer } from "node:net";

function listenable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  const port = await listenable(0);
  if (port === undefined) throw new Error("no free loopback port");
  return port;
}

/**
 * A free port whose next port is free too: the homeserver's, and the bots
 * service's beside it (ONSAFE_BOTS_PORT defaults to ONSAFE_PORT + 1, which is
 * where the homeserver forwards `/_onsafe/`).
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (port < 65535 && (await listenable(port + 1)) !== undefined) return port;
  }
  throw new Error("no two adjacent free loopback ports");
}
